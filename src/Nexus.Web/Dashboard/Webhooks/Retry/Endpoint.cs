using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Delivery;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Retry;

/// <summary>
/// Retries one delivery through <see cref="DeliveryActions"/> (audited; one more attempt, same
/// <c>webhook-id</c>) and answers with its refreshed detail, or the detail and why not.
/// </summary>
public sealed class Endpoint(IDocumentSession session, DeliveryActions actions, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/webhooks/deliveries/{id}/retry");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (orgId, mode, id) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!);
        var result = await actions.RetryAsync(orgId, mode, id, HttpContext.Actor(), ct);
        if (result.Refusal?.Code == Refusal.ResourceMissing)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        var detail = await DeliveryDetail.LoadAsync(session, orgId, mode, id, canManage: true, clock, ct);
        if (detail is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (result.Refusal is { } refusal)
        {
            await Send.ResultAsync(RazorView.Fragment(DeliveryDetail.View, detail with { Notice = Notice.Refused("Not retried", refusal.Message) },
                StatusCodes.Status422UnprocessableEntity));
            return;
        }
        HttpContext.Response.Htmx(h => h.WithTrigger(WebhookTriggers.DeliveriesChanged));
        await Send.ResultAsync(RazorView.Fragment(DeliveryDetail.View,
            detail with { Notice = Notice.Done("Retry queued", "One more attempt is due now, with the same webhook-id and body.") }));
    }
}
