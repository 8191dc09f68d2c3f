using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Account.Sessions.Revoke;

/// <summary>
/// Signs out one of the user's other sessions: its next request goes to the login page. A malformed
/// id, an unknown or ended session, another user's, or this very session (that is what Log out is
/// for) is a 404, and nothing changes.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post(SessionsPanel.Path + "/{id}/revoke");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var id = Route<string>("id", isRequired: false);
        var now = clock.GetUtcNow();
        var member = HttpContext.Member();
        var target = SessionTokens.IsWellFormedId(id) && id != HttpContext.CurrentSession().Id ? await session.LoadAsync<UserSession>(id!, ct) : null;
        if (target is null || target.UserId != member.User.Id || !target.IsActiveAt(now))
        {
            await Send.ResultAsync(Results.NotFound());
            return;
        }

        var device = UserAgents.Describe(target.UserAgent);
        DashboardSessions.End(session, target.Id, now);
        await AccountChanges.AuditAsync(session, member.User, HttpContext.Actor(), AuditActions.SessionRevoked,
            [new AuditChange("session", target.Ip is null ? device : $"{device}, {target.Ip}", "signed out")], clock, ct);
        await session.SaveChangesAsync(ct);
        await Send.ResultAsync((await SessionsPanel.LoadAsync(session, HttpContext, clock, ct, notice: $"Signed out {device}.")).Send());
    }
}
