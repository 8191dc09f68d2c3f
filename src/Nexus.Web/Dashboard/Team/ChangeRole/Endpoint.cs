using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.ChangeRole;

public sealed class RoleRequest
{
    /// <summary>Owner, Admin, Developer or Viewer.</summary>
    public string? Role { get; set; }
}

/// <summary>Changes a member's role within <see cref="TeamRules"/>; a refusal comes back as the panel with the reason (422).</summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<RoleRequest>
{
    public override void Configure()
    {
        Post("/settings/members/{id}/role");
        Group<DashboardGroup>();
        Definition.PreProcessor<TeamManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RoleRequest req, CancellationToken ct)
    {
        var member = HttpContext.Member();
        var target = await TeamTarget.LoadAsync(session, member, Route<string>("id", isRequired: false), ct);
        if (target is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        var wanted = RoleNames.Parse(req.Role);
        var problem = wanted is null
            ? "Choose Owner, Admin, Developer or Viewer."
            : TeamRules.RoleChangeProblem(target.ActorRole, target.Membership.Role, wanted.Value, target.Owners);
        if (problem is not null)
        {
            await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, problem: problem)).Send(HttpContext));
            return;
        }

        var before = target.Membership.Role;
        if (wanted != before)
        {
            target.Membership.Role = wanted!.Value;
            session.Store(target.Membership);
            OrgChanges.Audit(session, member.Org.Id, HttpContext.Actor(), AuditActions.MemberRoleChanged, "member", target.User.Id, target.User.Email,
                [new AuditChange("role", RoleNames.Wire(before), RoleNames.Wire(wanted.Value))], clock);
            await session.SaveChangesAsync(ct);
        }
        // The actor may have changed their own role: the panel shows what they may do now.
        var self = target.Membership.UserId == member.User.Id ? member with { Membership = target.Membership } : member;
        await Send.ResultAsync((await MembersPanel.LoadAsync(session, self, clock, ct,
            notice: $"{target.User.Email} is now {(wanted is Role.Admin or Role.Owner ? "an" : "a")} {wanted}.")).Send(HttpContext));
    }
}
