using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

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

/// <summary>Invitation tokens: 256 bits from a CSPRNG, base64url, with a prefix that says what they are.</summary>
public static partial class InvitationTokens
{
    public const string Prefix = "nxinv_";

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Checked before any query: a mangled or made-up token costs nothing.</summary>
    public static bool IsWellFormed(string? token) => token is { Length: 49 } && Shape().IsMatch(token);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^nxinv_[A-Za-z0-9_-]{43}$")]
    private static partial Regex Shape();
}
