using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Delivery;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Replay;

/// <summary>The replay button as posted.</summary>
public sealed class ReplayForm
{
    /// <summary>The endpoint to send the event to again.</summary>
    [BindFrom("endpoint_id")]
    public string? EndpointId { get; set; }
}

/// <summary>
/// Replays an event to one endpoint through <see cref="DeliveryActions"/> (audited): a new delivery
/// with the same <c>webhook-id</c> and bytes, whose detail the panel then shows.
/// </summary>
public sealed class Endpoint(IDocumentSession session, DeliveryActions actions, TimeProvider clock) : Endpoint<ReplayForm>
{
    public override void Configure()
    {
        Post("/webhooks/events/{id}/replay");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(ReplayForm form, CancellationToken ct)
    {
        var (orgId, mode) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode());
        if (string.IsNullOrEmpty(form.EndpointId))
        {
            await Send.ResultAsync(Results.Text("Say which endpoint to replay the event to.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest));
            return;
        }
        var result = await actions.ReplayAsync(orgId, mode, Route<string>("id")!, form.EndpointId, HttpContext.Actor(), ct);
        if (result.Refusal is { Code: Refusal.ResourceMissing })
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (result.Refusal is { } refusal)
        {
            await Send.ResultAsync(RazorView.Fragment(Notice.View, Notice.Refused("Not replayed", refusal.Message) with { Id = "delivery-panel-content" }, StatusCodes.Status422UnprocessableEntity));
            return;
        }
        var replayed = result.Deliveries.Single();
        var detail = await DeliveryDetail.LoadAsync(session, orgId, mode, replayed.Id, canManage: true, clock, ct);
        HttpContext.Response.Htmx(h => h.WithTrigger(WebhookTriggers.DeliveriesChanged));
        await Send.ResultAsync(RazorView.Fragment(DeliveryDetail.View,
            detail! with { Notice = Notice.Done("Event replayed", $"This is a new delivery of {replayed.EventId}, due now, with the same webhook-id and body.") }));
    }
}
