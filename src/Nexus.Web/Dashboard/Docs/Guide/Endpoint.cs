using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Guide;

/// <summary>The docs landing page: quickstart and the concepts, each linking to its reference.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/docs");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Guide/Guide.cshtml"));
}
