using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Invitations;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>
/// The end of a login, once every factor is checked (the password alone, or the password and then a
/// code): pick the org, accept the invitation the login came from if it needs one, clear the failure
/// count, issue the session cookie and go back to the page that asked.
/// </summary>
public static class LoginCompletion
{
    public static async Task<IResult> FinishAsync(HttpContext http, IDocumentSession session, User user, string returnUrl, TimeProvider clock, CancellationToken ct)
    {
        var org = await OrgSessions.OpeningOrgAsync(session, user, ct);
        if (org is null && InvitationLinks.IsLink(returnUrl) && await JoinFromLinkAsync(http, user, returnUrl, clock, ct) is { } joined)
        {
            // No org of their own, but they came to log in and accept an invitation (say, removed
            // once and invited again): the login accepts it, and the invitation's page, now used,
            // is no place to return to.
            (org, returnUrl) = (joined, ReturnUrls.Default);
        }
        if (org is null)
        {
            // Every factor was right, but every membership is gone (removed, or left): say so
            // plainly rather than open a session that every page would refuse.
            return RazorView.Page(LoginPage.View, new LoginPage(user.Email, returnUrl, NoOrg: true), StatusCodes.Status403Forbidden);
        }

        if (user.FailedLogins != 0 || user.LockedUntil is not null)
        {
            // Patches, not a whole-document update, so a concurrent logout's new stamp survives.
            session.Patch<User>(user.Id).Set(u => u.FailedLogins, 0);
            session.Patch<User>(user.Id).Set(u => u.LockedUntil, null);
            await session.SaveChangesAsync(ct);
        }
        await OrgSessions.SignInAsync(http, session, user, org, ct, await DashboardSessions.OpenAsync(http, session, user, clock, ct));
        return Results.Redirect(returnUrl);
    }

    /// <summary>Accepts the pending invitation whose page <paramref name="returnUrl"/> is, if it is for <paramref name="user"/>; its org, or null.</summary>
    private static async Task<Organization?> JoinFromLinkAsync(HttpContext http, User user, string returnUrl, TimeProvider clock, CancellationToken ct)
    {
        var token = returnUrl[InvitationLinks.PathPrefix.Length..].Split('?', '#', '/')[0];
        await using var join = http.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
        var open = await InvitationLinks.FindAsync(join, token, clock.GetUtcNow(), ct);
        if (open is null || open.Invitation.Email != user.Email) return null;
        return await InvitationLinks.AcceptAsync(join, open, user, http.ActorFor(user), clock, ct) is null ? null : open.Org;
    }
}
