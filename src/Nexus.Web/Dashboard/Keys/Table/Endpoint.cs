using FastEndpoints;
using Marten;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Table;

/// <summary>
/// The keys table alone; the page re-fetches it when a <c>keys-changed</c> event fires, and every
/// 30 seconds so grace-period countdowns and statuses stay current.
/// </summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/keys/table");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        await Send.ResultAsync(RazorView.Fragment(KeyTable.View,
            await KeyTable.LoadAsync(session, member.Org.Id, DashboardMode.Of(HttpContext), clock, member.CanManageKeys(), ct)));
    }
}
