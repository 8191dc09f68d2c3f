using FastEndpoints;
using Htmx;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Accounts;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.Leave;

/// <summary>
/// The signed-in member leaves the org (not the last Owner). The session moves to another org of
/// theirs, or ends when there is none.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/settings/leave");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        await session.LockTeamAsync(member.Org.Id, ct);
        var own = await session.LoadAsync<Membership>(member.Membership.Id, ct);
        if (own is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (TeamRules.LeaveProblem(own.Role, await session.OwnerCountAsync(member.Org.Id, ct)) is { } problem)
        {
            await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, problem: problem)).Send(HttpContext));
            return;
        }

        session.Delete(own);
        OrgChanges.Audit(session, member.Org.Id, HttpContext.Actor(), AuditActions.MemberLeft, "member", member.User.Id, member.User.Email,
            [new AuditChange("role", RoleNames.Wire(own.Role), null)], clock);
        await session.SaveChangesAsync(ct);

        var next = await OrgSessions.OpeningOrgAsync(session, member.User, ct);
        string target;
        if (next is null)
        {
            // No org left to open: the session ends like a logout, so a copy of its cookie cannot come back with a new invitation.
            DashboardSessions.End(session, HttpContext.CurrentSession().Id, clock.GetUtcNow());
            await session.SaveChangesAsync(ct);
            await HttpContext.SignOutAsync(DashboardAuth.Scheme);
            target = "/login";
        }
        else
        {
            await OrgSessions.SignInAsync(HttpContext, session, member.User, next, ct);
            target = ReturnUrls.Default;
        }
        if (HttpContext.Request.IsHtmx())
        {
            HttpContext.Response.Htmx(h => h.Redirect(target));
            await Send.NoContentAsync(ct);
        }
        else await Send.RedirectAsync(target);
    }
}
