using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Index;

public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks");
        Group<DashboardGroup>();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Webhooks/Index/Index.cshtml"));
}
