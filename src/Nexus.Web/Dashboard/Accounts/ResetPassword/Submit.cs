using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Store;
using Nexus.Web.Dashboard.Account;
using Nexus.Web.Dashboard.Accounts.Signup;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.ResetPassword;

/// <summary>
/// Sets the new password from a reset link, as a password change does (the signup rules, the same
/// hashing, a new security stamp, the lockout cleared) but ending every session of the user, this
/// browser's included: whoever held the account before the operator stepped in is signed out. With
/// <c>--disable-two-factor</c> given when the link was issued, two-factor authentication goes off too.
/// </summary>
public sealed class Submit(IDocumentSession session, IPasswordHasher<User> hasher, TimeProvider clock) : Endpoint<ResetPasswordForm>
{
    /// <summary>The login page shows <see cref="Login.LoginPage.PasswordWasReset"/> for this.</summary>
    public const string LoginPath = "/login?reset=done";

    public override void Configure()
    {
        Post(ResetLinks.PathPrefix + "{token}");
        Group<DashboardGroup>();
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(ResetPasswordForm form, CancellationToken ct)
    {
        ResetLinks.Protect(HttpContext);
        var open = await ResetLinks.FindAsync(session, form.Token, clock.GetUtcNow(), ct);
        if (open is null)
        {
            await Send.ResultAsync(ResetLinks.Invalid());
            return;
        }
        var errors = new FormErrors();
        if (SignupRules.PasswordProblem(form.NewPassword, open.User.Email) is { } problem) errors.Add("new_password", problem);
        else if (form.ConfirmPassword != form.NewPassword) errors.Add("confirm_password", "The two passwords do not match.");
        if (errors.Any)
        {
            await Send.ResultAsync(RazorView.Page(ResetPasswordPage.View, new ResetPasswordPage(form.Token!, open.User.Email, errors),
                StatusCodes.Status422UnprocessableEntity));
            return;
        }

        // Under the user's row lock the reset is read again: of two posts of the same link, one sets the password.
        await session.LockRowAsync<User>(open.User.Id, ct);
        var now = clock.GetUtcNow();
        var reset = await session.LoadAsync<PasswordReset>(open.Reset.Id, ct);
        var user = await session.LoadAsync<User>(open.User.Id, ct);
        if (reset is null || reset.TokenHash != open.Reset.TokenHash || !reset.IsPendingAt(now) || user is null)
        {
            await Send.ResultAsync(ResetLinks.Invalid());
            return;
        }

        user.PasswordHash = hasher.HashPassword(user, form.NewPassword!);
        user.SecurityStamp = SecurityStamps.New();
        (user.FailedLogins, user.LockedUntil) = (0, null);
        List<AuditChange> changes = [];
        if (reset.DisableTwoFactor && user.TwoFactorEnabled)
        {
            // As turning it off on the Account page does; TotpLastStep stays, so a seen code cannot come back.
            (user.TotpSecret, user.PendingTotpSecret, user.TwoFactorEnabledAt, user.RecoveryCodeHashes) = (null, null, null, []);
            changes.Add(new AuditChange("two_factor", "on", "off"));
        }
        session.Store(user);
        reset.UsedAt = now;
        session.Store(reset);
        DashboardSessions.EndAll(session, user.Id, now);
        await AccountChanges.AuditAsync(session, user, ResetLinks.Operator(HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.TraceIdentifier), AuditActions.PasswordReset, changes, clock, ct);
        await session.SaveChangesAsync(ct);
        await Send.RedirectAsync(LoginPath);
    }
}
