using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Endpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Delete;

/// <summary>
/// Deletes an endpoint through <see cref="EndpointManager"/> (audited; its delivery history stays
/// readable) and answers with the refreshed list.
/// </summary>
public sealed class Endpoint(IDocumentSession session, EndpointManager endpoints, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/delete");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (member, mode) = (HttpContext.Member(), HttpContext.WebhookMode());
        var result = await endpoints.DeleteAsync(member.Org.Id, mode, Route<string>("id")!, HttpContext.Actor(), ct);
        if (result.Refusal?.Code == Refusal.ResourceMissing)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        await Send.ResultAsync(RazorView.Fragment(EndpointList.View, await EndpointList.LoadAsync(session, member, mode, clock, ct)));
    }
}
