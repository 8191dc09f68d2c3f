using FastEndpoints;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Invitations;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;
using UserAccount = Nexus.Shared.Accounts.User;

namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>
/// Checks the password and signs in. Unknown email, wrong password and locked account all get
/// the same message and cost the same hashing work, so neither the text nor the timing says
/// whether an account exists.
/// </summary>
public sealed class Submit(
    IDocumentSession session,
    IPasswordHasher<UserAccount> hasher,
    UnknownEmailLockout unknownEmails,
    TimeProvider clock) : Endpoint<LoginForm>
{
    // Verified against when there is no real hash to check, to spend the same time.
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<UserAccount>().HashPassword(new UserAccount(), SecurityStamps.New()));

    public override void Configure()
    {
        Post("/login");
        Group<DashboardGroup>();
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(LoginForm form, CancellationToken ct)
    {
        var email = UserAccount.NormalizeEmail(form.Email ?? "");
        var password = form.Password ?? "";
        var returnUrl = ReturnUrls.Safe(form.ReturnUrl);
        var now = clock.GetUtcNow();

        var user = email.Length == 0 ? null : await session.Query<UserAccount>().FirstOrDefaultAsync(u => u.Email == email, ct);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new UserAccount(), DummyHash.Value, password);
            await FailAsync(form, returnUrl, unknownEmails.Fail(email));
            return;
        }

        var lockout = new Lockout(user.FailedLogins, user.LockedUntil);
        if (lockout.IsLocked(now))
        {
            // Even the right password does not get in while locked.
            hasher.VerifyHashedPassword(user, DummyHash.Value, password);
            await FailAsync(form, returnUrl, locked: true);
            return;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            lockout = lockout.Fail(now);
            // Patches, not a whole-document update, so a concurrent logout's new stamp survives.
            session.Patch<UserAccount>(user.Id).Set(u => u.FailedLogins, lockout.Failures);
            session.Patch<UserAccount>(user.Id).Set(u => u.LockedUntil, lockout.LockedUntil);
            await session.SaveChangesAsync(ct);
            await FailAsync(form, returnUrl, lockout.IsLocked(now));
            return;
        }

        var org = await OrgSessions.OpeningOrgAsync(session, user, ct);
        if (org is null && InvitationLinks.IsLink(returnUrl) && await JoinFromLinkAsync(user, returnUrl, ct) is { } joined)
        {
            // No org of their own, but they came to log in and accept an invitation (say, removed
            // once and invited again): the login accepts it, and the invitation's page, now used,
            // is no place to return to.
            (org, returnUrl) = (joined, ReturnUrls.Default);
        }
        if (org is null)
        {
            // The password was right, but every membership is gone (removed, or left): say so
            // plainly rather than open a session that every page would refuse.
            await Send.ResultAsync(RazorView.Page(LoginPage.View, new LoginPage(form.Email ?? "", returnUrl, NoOrg: true),
                StatusCodes.Status403Forbidden));
            return;
        }

        if (user.FailedLogins != 0 || user.LockedUntil is not null)
        {
            session.Patch<UserAccount>(user.Id).Set(u => u.FailedLogins, 0);
            session.Patch<UserAccount>(user.Id).Set(u => u.LockedUntil, null);
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            session.Patch<UserAccount>(user.Id).Set(u => u.PasswordHash, hasher.HashPassword(user, password));
        await session.SaveChangesAsync(ct);

        await OrgSessions.SignInAsync(HttpContext, session, user, org, ct);
        await Send.RedirectAsync(returnUrl);
    }

    /// <summary>Accepts the pending invitation whose page <paramref name="returnUrl"/> is, if it is for <paramref name="user"/>; its org, or null.</summary>
    private async Task<Organization?> JoinFromLinkAsync(UserAccount user, string returnUrl, CancellationToken ct)
    {
        var token = returnUrl[InvitationLinks.PathPrefix.Length..].Split('?', '#', '/')[0];
        await using var join = HttpContext.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
        var open = await InvitationLinks.FindAsync(join, token, clock.GetUtcNow(), ct);
        if (open is null || open.Invitation.Email != user.Email) return null;
        return await InvitationLinks.AcceptAsync(join, open, user, HttpContext.ActorFor(user), clock, ct) is null ? null : open.Org;
    }

    private Task FailAsync(LoginForm form, string returnUrl, bool locked) =>
        Send.ResultAsync(RazorView.Page(LoginPage.View,
            new LoginPage(form.Email ?? "", returnUrl, Failed: true, Locked: locked),
            locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity));
}
