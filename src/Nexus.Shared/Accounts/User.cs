namespace Nexus.Shared.Accounts;

public sealed class User
{
    public string Id { get; set; } = "";

    /// <summary>Lower-cased, trimmed; unique.</summary>
    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Copied into each cookie; bumped on a password change, so every cookie issued before (and a login waiting for its second factor) is refused.</summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>
    /// Copied into each login waiting for its second factor; a new one (logging out, or "Start again" at the
    /// code step) voids every such login started before, without signing out the user's sessions as a new
    /// <see cref="SecurityStamp"/> would.
    /// </summary>
    public string PendingLoginStamp { get; set; } = "";

    /// <summary>The org the user last switched to or joined; login opens it while they are still a member.</summary>
    public string? LastOrgId { get; set; }

    /// <summary>Wrong passwords and wrong second-factor codes alike; five in a row lock the account (see Lockout).</summary>
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>The TOTP secret (base32) sealed with SecretBox, once two-factor authentication is on; never plaintext.</summary>
    public string? TotpSecret { get; set; }

    /// <summary>A secret shown for enrolment and not yet confirmed with a code (sealed likewise); replaced by each new start.</summary>
    public string? PendingTotpSecret { get; set; }

    public DateTimeOffset? TwoFactorEnabledAt { get; set; }

    /// <summary>The last TOTP time step accepted: a code for it or an earlier step is refused, so a seen code cannot be replayed.</summary>
    public long TotpLastStep { get; set; }

    /// <summary>SHA-256 hashes of the unused recovery codes; one is removed when used.</summary>
    public List<string> RecoveryCodeHashes { get; set; } = [];

    public bool TwoFactorEnabled => TotpSecret is not null;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
