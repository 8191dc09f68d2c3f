using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Settings;
using Nexus.Web.Dashboard.Team;
using Nexus.Shared.Store;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Invitations;

/// <summary>A pending invitation found by its link, with its org.</summary>
public sealed record OpenInvitation(Invitation Invitation, Organization Org);

/// <summary>
/// Finding and accepting invitations by their link. Every way a link can be wrong (mangled, unknown,
/// expired, used, revoked, replaced) looks the same from outside, so the answer helps no guessing.
/// </summary>
public static class InvitationLinks
{
    private const string InvalidView = "~/Dashboard/Invitations/Show/Invalid.cshtml";

    /// <summary>An invitation's page is this plus its token; "Join" posts there too.</summary>
    public const string PathPrefix = "/invitations/";

    public static async Task<OpenInvitation?> FindAsync(IQuerySession session, string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (!LinkTokens.Invitation.IsWellFormed(token)) return null;
        var hash = LinkTokens.Hash(token!);
        var invitation = await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null || !invitation.IsPendingAt(now)) return null;
        var org = await session.LoadAsync<Organization>(invitation.OrgId, ct);
        return org is null ? null : new OpenInvitation(invitation, org);
    }

    /// <summary>
    /// Makes <paramref name="user"/> (already stored, or stored in this session) a member with the
    /// invitation's role and uses the invitation up, atomically: under the team lock the invitation
    /// is read again, so of two concurrent accepts one joins and the other finds it used (the unique
    /// index on org and user backs this up). Null when the invitation is no longer pending.
    /// </summary>
    public static async Task<Membership?> AcceptAsync(IDocumentSession session, OpenInvitation open, User user, AuditActor actor, TimeProvider clock, CancellationToken ct)
    {
        await session.LockTeamAsync(open.Org.Id, ct);
        var now = clock.GetUtcNow();
        var invitation = await session.LoadAsync<Invitation>(open.Invitation.Id, ct);
        if (invitation is null || !invitation.IsPendingAt(now) || invitation.Email != user.Email) return null;

        var membership = await session.Query<Membership>().FirstOrDefaultAsync(m => m.OrgId == invitation.OrgId && m.UserId == user.Id, ct);
        if (membership is null)
        {
            membership = new Membership { Id = Ids.New("mem", clock), OrgId = invitation.OrgId, UserId = user.Id, Role = invitation.Role, CreatedAt = now };
            session.Store(membership);
            OrgChanges.Audit(session, invitation.OrgId, actor, AuditActions.MemberJoined, "member", user.Id, user.Email,
                [new AuditChange("role", null, RoleNames.Wire(invitation.Role)), new AuditChange("invitation", invitation.Id, null)], clock);
        }
        invitation.AcceptedAt = now;
        invitation.AcceptedByUserId = user.Id;
        session.Store(invitation);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (PostgresErrors.IsUniqueViolation(e))
        {
            return null;
        }
        return membership;
    }

    /// <summary>The one answer to every link that does not work: a 404 page that says what may have happened, and nothing more.</summary>
    public static IResult Invalid() => RazorView.Page(InvalidView, null, StatusCodes.Status404NotFound);

    /// <summary>
    /// Pages that carry a token in their URL: no link from them sends the URL on. (No cache keeps them
    /// either: every page holds an antiforgery token, so the framework marks it no-store.)
    /// </summary>
    public static void Protect(HttpContext http) => http.Response.Headers["Referrer-Policy"] = "no-referrer";

    /// <summary>Whether a (same-site) return URL is an invitation's page, i.e. carries its token.</summary>
    public static bool IsLink(string returnUrl) => returnUrl.StartsWith(PathPrefix, StringComparison.Ordinal);
}
