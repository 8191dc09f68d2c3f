using FastEndpoints;
using Marten;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.Sessions;

/// <summary>The Sessions panel of the Account page, as a fragment.</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get(SessionsPanel.Path);
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.ResultAsync((await SessionsPanel.LoadAsync(session, HttpContext, clock, ct)).Send());
}
