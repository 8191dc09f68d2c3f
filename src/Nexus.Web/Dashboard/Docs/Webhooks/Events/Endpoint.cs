using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Webhooks.Events;

/// <summary>The event catalog: every type Nexus sends, what it means and an example payload; public, like the rest of the docs.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/docs/webhooks/events");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Webhooks/Events/Events.cshtml"));
}
