using System.Runtime.CompilerServices;
using FastEndpoints;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Infrastructure.Views;
using UserAccount = Nexus.Shared.Accounts.User;

namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>
/// Checks the password and signs in (or, with two-factor authentication on, asks for the code next). Unknown email, wrong password and locked account all get
/// the same message and cost the same hashing work, so neither the text nor the timing says
/// whether an account exists.
/// </summary>
public sealed class Submit(
    IDocumentSession session,
    IPasswordHasher<UserAccount> hasher,
    UnknownEmailLockout unknownEmails,
    PendingLogins pendingLogins,
    TimeProvider clock) : Endpoint<LoginForm>
{
    // Verified against when there is no real hash to check, to spend the same time. Made by the
    // hasher that makes the real hashes (one per app), so it costs what they cost, at any work factor.
    private static readonly ConditionalWeakTable<IPasswordHasher<UserAccount>, string> DummyHashes = new();

    private string DummyHash => DummyHashes.GetValue(hasher, h => h.HashPassword(new UserAccount(), SecurityStamps.New()));

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
            hasher.VerifyHashedPassword(new UserAccount(), DummyHash, password);
            await FailAsync(form, returnUrl, unknownEmails.Fail(email));
            return;
        }

        var lockout = new Lockout(user.FailedLogins, user.LockedUntil);
        if (lockout.IsLocked(now))
        {
            // Even the right password does not get in while locked.
            hasher.VerifyHashedPassword(user, DummyHash, password);
            await FailAsync(form, returnUrl, locked: true);
            return;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            lockout = lockout.Fail(now);
            // Patches, not a whole-document update, so a concurrent password change's or logout's new stamp survives.
            session.Patch<UserAccount>(user.Id).Set(u => u.FailedLogins, lockout.Failures);
            session.Patch<UserAccount>(user.Id).Set(u => u.LockedUntil, lockout.LockedUntil);
            await session.SaveChangesAsync(ct);
            await FailAsync(form, returnUrl, lockout.IsLocked(now));
            return;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            session.Patch<UserAccount>(user.Id).Set(u => u.PasswordHash, hasher.HashPassword(user, password));
        if (user.TwoFactorEnabled)
        {
            // No session yet: the code comes first. The failure count is left as it is, so that
            // retyping the right password does not buy more guesses at the code.
            await session.SaveChangesAsync(ct);
            pendingLogins.Issue(HttpContext, user, returnUrl);
            await Send.RedirectAsync(TwoFactor.Endpoint.Path);
            return;
        }
        await session.SaveChangesAsync(ct);
        await Send.ResultAsync(await LoginCompletion.FinishAsync(HttpContext, session, user, returnUrl, clock, ct));
    }

    private Task FailAsync(LoginForm form, string returnUrl, bool locked) =>
        Send.ResultAsync(RazorView.Page(LoginPage.View,
            new LoginPage(form.Email ?? "", returnUrl, Failed: true, Locked: locked),
            locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity));
}
