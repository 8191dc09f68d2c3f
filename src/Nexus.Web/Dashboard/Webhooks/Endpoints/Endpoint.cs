using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Endpoints;

/// <summary>The endpoints panel alone; the page re-fetches it when an <c>endpoints-changed</c> event fires.</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks/endpoints");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.ResultAsync(RazorView.Fragment(EndpointList.View,
            await EndpointList.LoadAsync(session, HttpContext.Member(), HttpContext.WebhookMode(), clock, ct)));
}
