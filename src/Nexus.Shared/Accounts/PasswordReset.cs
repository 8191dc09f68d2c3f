namespace Nexus.Shared.Accounts;

/// <summary>
/// A one-time link to set a new password, issued by an operator on the server
/// (<c>reset-password</c>) for a user who is locked out: Nexus sends no email. Only the SHA-256 of
/// its token is stored. The id is the user's id, so a user has at most one: issuing another replaces
/// it (the old link stops working), and the table never holds more rows than there are users.
/// </summary>
public sealed class PasswordReset
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>The user's id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Hex SHA-256 of the token; unique.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>Asked for at issue time: using the link also turns two-factor authentication off (lost authenticator and codes).</summary>
    public bool DisableTwoFactor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    public bool IsPendingAt(DateTimeOffset now) => UsedAt is null && ExpiresAt > now;
}
