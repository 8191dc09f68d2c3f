using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Webhooks.Signatures;

/// <summary>"Verifying signatures": how a receiver checks that a webhook came from Nexus; public, like the rest of the docs.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/docs/webhooks/signatures");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Webhooks/Signatures/Signatures.cshtml"));
}
