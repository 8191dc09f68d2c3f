using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.Revoke;

/// <summary>
/// Revokes a pending invitation: its link stops working at once. Another org's invitation, or one
/// that is no longer pending, is a 404 like one that never existed.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/settings/invitations/{id}/revoke");
        Group<DashboardGroup>();
        Definition.PreProcessor<TeamManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var id = Route<string>("id", isRequired: false);
        var now = clock.GetUtcNow();
        if (!Nexus.Shared.Common.Ids.IsWellFormed(id, Invitation.IdPrefix))
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        await session.LockTeamAsync(member.Org.Id, ct);
        var invitation = await session.LoadAsync<Invitation>(id!, ct);
        if (invitation is null || invitation.OrgId != member.Org.Id || !invitation.IsPendingAt(now))
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (!TeamRules.CanGrant(member.Membership.Role, invitation.Role))
        {
            await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct,
                problem: $"Only Owners can revoke an invitation to become an {invitation.Role}.")).Send(HttpContext));
            return;
        }

        invitation.RevokedAt = now;
        session.Store(invitation);
        OrgChanges.Audit(session, member.Org.Id, HttpContext.Actor(), AuditActions.InvitationRevoked, "invitation", invitation.Id, invitation.Email,
            [new AuditChange("role", RoleNames.Wire(invitation.Role), null)], clock);
        await session.SaveChangesAsync(ct);
        await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, notice: $"Invitation for {invitation.Email} revoked.")).Send(HttpContext));
    }
}
