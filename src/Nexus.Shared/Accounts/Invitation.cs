namespace Nexus.Shared.Accounts;

/// <summary>
/// An invitation to join an org with a role. Nexus sends no email: whoever invites copies the link
/// (shown once) and passes it on. Only the SHA-256 of its token is stored, so a copy of the
/// database does not hold a working link.
/// </summary>
public sealed class Invitation
{
    public const string IdPrefix = "inv";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";

    /// <summary>Normalized like <see cref="User.Email"/>; only this address may accept.</summary>
    public string Email { get; set; } = "";
    public Role Role { get; set; }

    /// <summary>Hex SHA-256 of the token; unique.</summary>
    public string TokenHash { get; set; } = "";

    public string InvitedById { get; set; } = "";
    public string InvitedByEmail { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }

    /// <summary>Set when revoked, or replaced by a newer invitation to the same email.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsPendingAt(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}
