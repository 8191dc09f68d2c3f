using FastEndpoints;
using Htmx;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.RetryFailed;

/// <summary>Makes an endpoint's dead letters since the chosen time due again through <see cref="DeliveryActions"/> (audited).</summary>
public sealed class Submit(EndpointManager endpoints, DeliveryActions actions, TimeProvider clock) : Endpoint<RetryFailedForm>
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/retry-failed");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RetryFailedForm form, CancellationToken ct)
    {
        var (orgId, mode, id) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!);
        var endpoint = await endpoints.FindAsync(orgId, mode, id, ct);
        if (endpoint is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (RetryFailedPanel.Span(form.Since) is not { } span)
        {
            await Refuse(endpoint, RetryFailedPanel.DefaultChoice, "Choose how far back to retry.");
            return;
        }
        var result = await actions.RetryFailedAsync(orgId, mode, id, clock.GetUtcNow() - span, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal)
        {
            if (refusal.Code == Refusal.ResourceMissing) await Send.NotFoundAsync(ct);
            else await Refuse(endpoint, form.Since!, refusal.Message);
            return;
        }
        var label = RetryFailedPanel.Choices.First(c => c.Value == form.Since).Label;
        HttpContext.Response.Htmx(h => h.WithTrigger(WebhookTriggers.DeliveriesChanged));
        await Send.ResultAsync(RazorView.Fragment(Notice.View, result.Deliveries.Count == 0
            ? Notice.Done("Nothing to retry", $"No delivery to {endpoint.Url} failed in {label}.")
            : Notice.Done($"{result.Deliveries.Count} failed {(result.Deliveries.Count == 1 ? "delivery" : "deliveries")} queued again",
                $"Each gets one more attempt to {endpoint.Url} now.")));
    }

    private Task Refuse(WebhookEndpoint endpoint, string since, string message) =>
        Send.ResultAsync(RazorView.Fragment(RetryFailedPanel.View, new RetryFailedPanel(endpoint, since, message), StatusCodes.Status422UnprocessableEntity));
}
