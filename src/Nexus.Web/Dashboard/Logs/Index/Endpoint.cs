using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Logs.Index;

public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/logs");
        Group<DashboardGroup>();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Logs/Index/Index.cshtml"));
}
