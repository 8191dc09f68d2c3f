using FastEndpoints;
using Nexus.Web.Dashboard.Webhooks.Form;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Create;

/// <summary>The empty endpoint form, opened into the page's panel.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks/endpoints/new");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Fragment(EndpointPanel.View, EndpointPanel.New(HttpContext.WebhookMode())));
}
