using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Usage.Index;

public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/usage");
        Group<DashboardGroup>();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Usage/Index/Index.cshtml"));
}
