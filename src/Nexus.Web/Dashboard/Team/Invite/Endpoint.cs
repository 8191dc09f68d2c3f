using Nexus.Web.Infrastructure.Http;
using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Accounts.Signup;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.Invite;

/// <summary>The invite form as posted.</summary>
public sealed class InviteRequest
{
    public string? Email { get; set; }

    /// <summary>Owner, Admin, Developer or Viewer.</summary>
    public string? Role { get; set; }
}

/// <summary>
/// Invites an email with a role and answers with the Members panel showing the link once. A pending
/// invitation to the same email is replaced (its link stops working); an email that is already a
/// member is refused next to the field.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<InviteRequest>
{
    /// <summary>Enough for any team; stops a script from filling the table.</summary>
    public const int MaxPending = 100;

    public override void Configure()
    {
        Post("/settings/invitations");
        Group<DashboardGroup>();
        Definition.PreProcessor<TeamManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(InviteRequest req, CancellationToken ct)
    {
        var member = HttpContext.Member();
        var email = Nexus.Shared.Accounts.User.NormalizeEmail(req.Email ?? "");
        var errors = new FormErrors();
        if (SignupRules.EmailProblem(email) is { } emailProblem) errors.Add("email", emailProblem.Replace("your email", "their email"));
        var role = RoleNames.Parse(req.Role);
        if (role is null) errors.Add("role", "Choose Owner, Admin, Developer or Viewer.");
        else if (!TeamRules.CanGrant(member.Membership.Role, role.Value)) errors.Add("role", $"Only Owners can invite an {role}.");

        var now = clock.GetUtcNow();
        if (!errors.Any)
        {
            await session.LockTeamAsync(member.Org.Id, ct);
            var user = await session.Query<Nexus.Shared.Accounts.User>().FirstOrDefaultAsync(u => u.Email == email, ct);
            if (user is not null && await session.Query<Membership>().AnyAsync(m => m.OrgId == member.Org.Id && m.UserId == user.Id, ct))
                errors.Add("email", $"{email} is already a member of {member.Org.Name}.");
            else if (await session.Query<Invitation>().CountAsync(i => i.OrgId == member.Org.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct) >= MaxPending)
                errors.Add("email", $"This organization has {MaxPending} pending invitations. Revoke some first.");
        }
        if (errors.Any)
        {
            var form = new InviteForm(req.Email ?? "", req.Role ?? "", errors);
            await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, form)).Send(HttpContext));
            return;
        }

        // One pending invitation per email: the new link replaces any older one.
        var replaced = await session.Query<Invitation>()
            .Where(i => i.OrgId == member.Org.Id && i.Email == email && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(ct);
        foreach (var old in replaced)
        {
            old.RevokedAt = now;
            session.Store(old);
        }
        var token = LinkTokens.Invitation.New();
        var invitation = new Invitation
        {
            Id = Ids.New(Invitation.IdPrefix, clock), OrgId = member.Org.Id, Email = email, Role = role!.Value,
            TokenHash = LinkTokens.Hash(token), InvitedById = member.User.Id, InvitedByEmail = member.User.Email,
            CreatedAt = now, ExpiresAt = now + Invitation.Lifetime,
        };
        session.Store(invitation);
        OrgChanges.Audit(session, member.Org.Id, HttpContext.Actor(), AuditActions.MemberInvited, "invitation", invitation.Id, email,
        [
            new AuditChange("role", null, RoleNames.Wire(invitation.Role)),
            new AuditChange("expires_at", null, Timestamps.Format(invitation.ExpiresAt)),
            .. replaced.Count > 0 ? [new AuditChange("replaced", string.Join(",", replaced.Select(r => r.Id)), null)] : Array.Empty<AuditChange>(),
        ], clock);
        await session.SaveChangesAsync(ct);

        var link = HttpContext.Request.AbsoluteUrl($"/invitations/{token}");
        var created = new NewInvitation(email, invitation.Role, link, invitation.ExpiresAt);
        await Send.ResultAsync((await MembersPanel.LoadAsync(session, member, clock, ct, created: created)).Send(HttpContext));
    }
}
