using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Form;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Edit;

/// <summary>The edit form for one endpoint of the member's org in this mode (anything else is a 404).</summary>
public sealed class Endpoint(EndpointManager endpoints) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks/endpoints/{id}/edit");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var endpoint = await endpoints.FindAsync(HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!, ct);
        if (endpoint is null) await Send.ResultAsync(Results.NotFound());
        else await Send.ResultAsync(RazorView.Fragment(EndpointPanel.View, EndpointPanel.For(endpoint)));
    }
}
