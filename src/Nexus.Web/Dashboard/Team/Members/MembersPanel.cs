using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Team.Members;

/// <summary>One member in the list; <c>TwoFactor</c> says whether they have two-factor authentication on (owners see who has not).</summary>
public sealed record MemberRow(string MembershipId, string Email, Role Role, DateTimeOffset Since, bool IsYou, bool CanManage, bool TwoFactor);

public sealed record InvitationRow(string Id, string Email, Role Role, string InvitedBy, DateTimeOffset ExpiresAt, bool CanRevoke);

/// <summary>An invitation just made, with its link: the one response that ever holds the token.</summary>
public sealed record NewInvitation(string Email, Role Role, string Link, DateTimeOffset ExpiresAt);

/// <summary>The invite form as typed, with its messages.</summary>
public sealed record InviteForm(string Email, string Role, FormErrors Errors)
{
    public static InviteForm Empty => new("", nameof(Nexus.Shared.Accounts.Role.Developer), new FormErrors());
}

/// <summary>
/// Settings → Members: who is in the org, pending invitations, the invite form, and (once) a new
/// invitation's link. Every member change answers with this panel.
/// </summary>
public sealed record MembersPanel(
    IReadOnlyList<MemberRow> Members,
    IReadOnlyList<InvitationRow> Invitations,
    Role YourRole,
    IReadOnlyList<Role> Grantable,
    InviteForm Form,
    NewInvitation? Created,
    string? Problem,
    string? Notice,
    DateTimeOffset Now)
{
    public const string View = "~/Dashboard/Team/Members/_Members.cshtml";

    public bool CanManageTeam => TeamRules.CanManageTeam(YourRole);

    /// <summary>How many members have two-factor authentication off (the 2FA badge shows who has it on).</summary>
    public int WithoutTwoFactor => Members.Count(m => !m.TwoFactor);

    /// <summary>Why you may not leave (you are the only Owner), or null: shown instead of a button that would be refused.</summary>
    public string? LeaveProblem => TeamRules.LeaveProblem(YourRole, Members.Count(m => m.Role == Role.Owner));

    public static async Task<MembersPanel> LoadAsync(IQuerySession session, DashboardMember member, TimeProvider clock, CancellationToken ct,
        InviteForm? form = null, NewInvitation? created = null, string? problem = null, string? notice = null)
    {
        var now = clock.GetUtcNow();
        var you = member.Membership.Role;
        var memberships = await session.Query<Membership>().Where(m => m.OrgId == member.Org.Id).ToListAsync(ct);
        var users = (await session.LoadManyAsync<User>(ct, memberships.Select(m => m.UserId).ToArray())).ToDictionary(u => u.Id);
        var members = memberships
            .Where(m => users.ContainsKey(m.UserId))
            .Select(m => new MemberRow(m.Id, users[m.UserId].Email, m.Role, m.CreatedAt, m.UserId == member.User.Id,
                m.UserId != member.User.Id && TeamRules.CanManage(you, m.Role), users[m.UserId].TwoFactorEnabled))
            .OrderByDescending(m => m.Role).ThenBy(m => m.Email, StringComparer.Ordinal)
            .ToList();
        var invitations = TeamRules.CanManageTeam(you)
            ? (await session.Query<Invitation>()
                    .Where(i => i.OrgId == member.Org.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                    .OrderBy(i => i.Email).ToListAsync(ct))
                .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.InvitedByEmail, i.ExpiresAt, TeamRules.CanGrant(you, i.Role)))
                .ToList()
            : [];
        return new MembersPanel(members, invitations, you, TeamRules.Grantable(you), form ?? InviteForm.Empty, created, problem, notice, now);
    }

    /// <summary>The panel as a fragment; a refusal is a 422 (htmx swaps it, so the message shows in place).</summary>
    public RazorView Send(HttpContext http)
    {
        // A panel holding a new invitation link must not be kept by any cache.
        if (Created is not null) http.Response.Headers.CacheControl = "no-store";
        var failed = Problem is not null || Form.Errors.Any;
        return RazorView.Fragment(View, this, failed ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
    }
}
