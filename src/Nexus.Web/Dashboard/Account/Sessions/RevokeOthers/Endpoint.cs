using FastEndpoints;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Account.Sessions.RevokeOthers;

/// <summary>
/// Signs out every session of the user but this one (a lost phone, a shared computer), with one
/// audit entry that says how many.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post(SessionsPanel.Path + "/revoke-others");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var ended = await DashboardSessions.EndOthersAsync(session, member.User.Id, HttpContext.CurrentSession().Id, clock.GetUtcNow(), ct);
        if (ended > 0)
        {
            await AccountChanges.AuditAsync(session, member.User, HttpContext.Actor(), AuditActions.SessionRevoked,
                [new AuditChange("other_sessions", ended.ToString(System.Globalization.CultureInfo.InvariantCulture), "signed out")], clock, ct);
        }
        await session.SaveChangesAsync(ct);
        var notice = ended switch { 0 => "There were no other sessions.", 1 => "Signed out 1 other session.", _ => $"Signed out {ended} other sessions." };
        await Send.ResultAsync((await SessionsPanel.LoadAsync(session, HttpContext, clock, ct, notice)).Send());
    }
}
