using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Accounts;
using Nexus.Web.Dashboard.Accounts.Login;
using Nexus.Web.Dashboard.Accounts.Signup;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.Password;

public sealed class PasswordForm
{
    [BindFrom("current_password")]
    public string? CurrentPassword { get; set; }

    [BindFrom("new_password")]
    public string? NewPassword { get; set; }
}

/// <summary>
/// Changes the password: the current one first (wrong ones count towards the login lockout, so a
/// borrowed session cannot be used to guess it), the new one by the signup rules. Every other
/// session is ended; this one stays, with a fresh cookie for the new security stamp (which also
/// voids a login begun with the old password and waiting for its second factor).
/// </summary>
public sealed class Endpoint(IDocumentSession session, IPasswordHasher<User> hasher, SecretBox box, TimeProvider clock) : Endpoint<PasswordForm>
{
    public override void Configure()
    {
        Post("/account/password");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(PasswordForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        await session.LockRowAsync<User>(member.User.Id, ct);
        var user = await session.LoadAsync<User>(member.User.Id, ct) ?? member.User;
        var now = clock.GetUtcNow();
        var errors = new FormErrors();
        var lockout = new Lockout(user.FailedLogins, user.LockedUntil);

        if (string.IsNullOrEmpty(form.CurrentPassword)) errors.Add("current_password", "Enter your current password.");
        else if (lockout.IsLocked(now)) errors.Add("current_password", LoginPage.TooManyAttempts);
        else if (form.CurrentPassword.Length > SignupRules.MaxPasswordLength
                 || hasher.VerifyHashedPassword(user, user.PasswordHash, form.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            lockout = lockout.Fail(now);
            (user.FailedLogins, user.LockedUntil) = (lockout.Failures, lockout.LockedUntil);
            session.Store(user);
            await session.SaveChangesAsync(ct);
            errors.Add("current_password", lockout.IsLocked(now) ? LoginPage.TooManyAttempts : "That is not your current password.");
        }
        if (SignupRules.PasswordProblem(form.NewPassword, user.Email) is { } problem) errors.Add("new_password", problem);
        if (errors.Any)
        {
            var status = lockout.IsLocked(now) ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity;
            await Send.ResultAsync(RazorView.Page(AccountPage.View, AccountPage.For(user, box, errors), status));
            return;
        }

        user.PasswordHash = hasher.HashPassword(user, form.NewPassword!);
        user.SecurityStamp = SecurityStamps.New();
        (user.FailedLogins, user.LockedUntil) = (0, null);
        session.Store(user);
        await DashboardSessions.EndOthersAsync(session, user.Id, HttpContext.CurrentSession().Id, now, ct);
        await AccountChanges.AuditAsync(session, user, HttpContext.Actor(), AuditActions.PasswordChanged, [], clock, ct);
        await session.SaveChangesAsync(ct);
        // The old cookie carries the old stamp; this browser gets one with the new stamp and the same session.
        await OrgSessions.SignInAsync(HttpContext, session, user, member.Org, ct);
        await Send.RedirectAsync(AccountPage.Path + "?done=password");
    }
}
