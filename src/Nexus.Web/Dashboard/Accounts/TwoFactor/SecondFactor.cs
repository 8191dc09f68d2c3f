using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account;
using Nexus.Web.Dashboard.Accounts.Login;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

public enum CodeOutcome { Accepted, Malformed, Wrong, Locked }

/// <summary>The outcome of a second-factor check and, when accepted, the user as it now stands (to save).</summary>
public sealed record CodeCheck(CodeOutcome Outcome, User? User = null)
{
    public const string Empty = "Enter the 6-digit code from your authenticator app.";
    public const string MalformedMessage = "Enter the 6 digits your authenticator app shows, or a recovery code like abcde-23456.";
    public const string WrongMessage = "That code is not right. Check your authenticator app and try again.";

    /// <summary>What the form says next to the code field; null when accepted.</summary>
    public string? Problem(string? typed) => Outcome switch
    {
        CodeOutcome.Accepted => null,
        CodeOutcome.Malformed => string.IsNullOrWhiteSpace(typed) ? Empty : MalformedMessage,
        CodeOutcome.Locked => LoginPage.TooManyAttempts,
        _ => WrongMessage,
    };

    public int Status => Outcome == CodeOutcome.Locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity;
}

/// <summary>
/// Checks a second-factor code (the authenticator's, or an unused recovery code) for a user with
/// two-factor authentication on: at login, and before turning it off or replacing the recovery codes.
/// The user's row is locked while checking, so two requests with the same code cannot both pass;
/// wrong codes count towards the same lockout as wrong passwords.
/// </summary>
public sealed class SecondFactor(SecretBox box, TimeProvider clock)
{
    /// <summary>
    /// On <see cref="CodeOutcome.Accepted"/> the session holds the change (code step or recovery code
    /// used up, failures reset) and the row lock, uncommitted: the caller adds its own changes and saves
    /// once. Otherwise any failure count is already saved. A recovery code used is audited in the same
    /// session as <c>user.recovery_code_used</c> (how many remain; never the code), with <paramref name="actor"/>.
    /// </summary>
    public async Task<CodeCheck> CheckAsync(IDocumentSession session, string userId, string? typed, AuditActor actor, CancellationToken ct)
    {
        var code = new string((typed ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        // Anything that cannot be a code costs no attempt: it is a typing slip, not a guess.
        var recovery = TotpCodes.IsWellFormed(code) ? null : RecoveryCodes.Normalize(code);
        if (code.Length == 0 || code.Length > 40 || (!TotpCodes.IsWellFormed(code) && recovery is null))
            return new CodeCheck(CodeOutcome.Malformed);

        await session.LockRowAsync<User>(userId, ct);
        var user = await session.LoadAsync<User>(userId, ct);
        if (user?.TotpSecret is null) return new CodeCheck(CodeOutcome.Wrong);
        var now = clock.GetUtcNow();
        var lockout = new Lockout(user.FailedLogins, user.LockedUntil);
        if (lockout.IsLocked(now)) return new CodeCheck(CodeOutcome.Locked);

        var accepted = false;
        if (recovery is null)
        {
            if (new TotpCodes(clock).Verify(box.Decrypt(user.TotpSecret), code, user.TotpLastStep) is { } step)
                (user.TotpLastStep, accepted) = (step, true);
        }
        else accepted = user.RecoveryCodeHashes.Remove(RecoveryCodes.Hash(recovery));

        if (!accepted)
        {
            lockout = lockout.Fail(now);
            (user.FailedLogins, user.LockedUntil) = (lockout.Failures, lockout.LockedUntil);
            session.Store(user);
            await session.SaveChangesAsync(ct);
            return new CodeCheck(lockout.IsLocked(now) ? CodeOutcome.Locked : CodeOutcome.Wrong);
        }
        (user.FailedLogins, user.LockedUntil) = (0, null);
        if (recovery is not null)
        {
            var left = user.RecoveryCodeHashes.Count;
            await AccountChanges.AuditAsync(session, user, actor, AuditActions.RecoveryCodeUsed,
                [new AuditChange("recovery_codes_left", (left + 1).ToString(), left.ToString())], clock, ct);
        }
        // A whole-document write is safe here: the row is locked, so every other writer waits for this one.
        session.Store(user);
        return new CodeCheck(CodeOutcome.Accepted, user);
    }
}
