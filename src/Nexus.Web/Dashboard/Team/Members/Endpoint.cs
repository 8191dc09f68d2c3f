using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Team.Members;

/// <summary>The Members panel of Settings, as a fragment (everyone may look; the controls are for owners and admins).</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/settings/members");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.ResultAsync(RazorView.Fragment(MembersPanel.View, await MembersPanel.LoadAsync(session, HttpContext.Member(), clock, ct)));
}
