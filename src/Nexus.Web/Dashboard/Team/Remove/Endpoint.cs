using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.Remove;

/// <summary>
/// Removes a member within <see cref="TeamRules"/>. Their sessions in this org end with their next
/// request: <see cref="DashboardAuth"/> re-checks the membership on every one.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/settings/members/{id}/remove");
        Group<DashboardGroup>();
        Definition.PreProcessor<TeamManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var target = await TeamTarget.LoadAsync(session, member, Route<string>("id", isRequired: false), ct);
        if (target is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        var problem = target.Membership.UserId == member.User.Id
            ? "To leave this organization yourself, use Leave organization."
            : TeamRules.RemovalProblem(target.ActorRole, target.Membership.Role, target.Owners);
        if (problem is not null)
        {
            await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, problem: problem)).Send(HttpContext));
            return;
        }

        session.Delete(target.Membership);
        OrgChanges.Audit(session, member.Org.Id, HttpContext.Actor(), AuditActions.MemberRemoved, "member", target.User.Id, target.User.Email,
            [new AuditChange("role", RoleNames.Wire(target.Membership.Role), null)], clock);
        await session.SaveChangesAsync(ct);
        await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, notice: $"{target.User.Email} was removed.")).Send(HttpContext));
    }
}
