using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Migration;

/// <summary>The v1 → v2 migration guide that deprecated v1 routes link to in their <c>Link</c> header.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/docs/migrations/v1-to-v2");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Migration/V1ToV2.cshtml", Infrastructure.Versioning.Deprecation.NotesV1));
}
