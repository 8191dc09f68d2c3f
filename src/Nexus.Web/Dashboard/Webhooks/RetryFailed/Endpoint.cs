using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.RetryFailed;

/// <summary>The "retry failed since…" form for one endpoint of the member's org in this mode.</summary>
public sealed class Endpoint(EndpointManager endpoints) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks/endpoints/{id}/retry-failed");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var endpoint = await endpoints.FindAsync(HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!, ct);
        if (endpoint is null) await Send.ResultAsync(Results.NotFound());
        else await Send.ResultAsync(RazorView.Fragment(RetryFailedPanel.View, new RetryFailedPanel(endpoint, RetryFailedPanel.DefaultChoice, null)));
    }
}
