using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Account;
using Nexus.Web.Dashboard.Accounts.ResetPassword;

namespace Nexus.Web.Infrastructure.Admin;

/// <summary>
/// <c>reset-password &lt;email&gt; [--disable-two-factor]</c>: prints a one-time link (1 hour) with which
/// the user sets a new password, for someone who forgot theirs or lost their authenticator and
/// recovery codes. The link is printed once and only its hash is stored; a new one for the same user
/// replaces the pending one. Issuing is audited (<c>user.password_reset_issued</c>); the change itself,
/// and its own entry, happen when the link is used.
/// </summary>
public static class ResetPasswordCommand
{
    public const string Name = "reset-password";
    public const string DisableTwoFactorFlag = "--disable-two-factor";
    private const string Usage = $"Usage: dotnet Nexus.Web.dll {Name} <email> [{DisableTwoFactorFlag}]";

    public static async Task<int> RunAsync(string[] args, IDocumentStore store, string publicUrl, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        var disableTwoFactor = args.Contains(DisableTwoFactorFlag);
        if (args.Where(a => a != DisableTwoFactorFlag).ToList() is not [var email] || email.StartsWith('-'))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        email = User.NormalizeEmail(email);

        await using var session = store.LightweightSession();
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.Email == email);
        if (user is null)
        {
            await stderr.WriteLineAsync($"No user has the email {email}; nothing was changed.");
            return 1;
        }

        var token = LinkTokens.PasswordReset.New();
        var now = clock.GetUtcNow();
        // Stored under the user's id: a pending reset of theirs is replaced, and its link stops working.
        session.Store(new PasswordReset
        {
            Id = user.Id, TokenHash = LinkTokens.Hash(token), DisableTwoFactor = disableTwoFactor,
            CreatedAt = now, ExpiresAt = now + PasswordReset.Lifetime,
        });
        // The org's owners see that someone on the server opened a way into this account, used or not.
        List<AuditChange> changes = [new("link_expires_at", null, Timestamps.Format(now + PasswordReset.Lifetime))];
        if (disableTwoFactor) changes.Add(new("turns_two_factor_off", null, "true"));
        await AccountChanges.AuditAsync(session, user, ResetLinks.Operator(), AuditActions.PasswordResetIssued, changes, clock, CancellationToken.None);
        await session.SaveChangesAsync();

        await stdout.WriteLineAsync($"Password reset link for {user.Email} (works once, for 1 hour; a new one replaces it):");
        await stdout.WriteLineAsync(publicUrl + ResetLinks.PathPrefix + token);
        if (disableTwoFactor)
            await stdout.WriteLineAsync(user.TwoFactorEnabled
                ? "Using it also turns off their two-factor authentication and deletes their recovery codes."
                : "They have no two-factor authentication on; the link only sets a new password.");
        await stdout.WriteLineAsync("Pass it on privately: whoever opens it can set the password of this account.");
        return 0;
    }
}
