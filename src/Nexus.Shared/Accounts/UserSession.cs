using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Accounts;

/// <summary>
/// One signed-in dashboard session (a browser's cookie). The cookie carries a random token; the
/// document id is only its SHA-256 (<see cref="SessionTokens.Hash"/>), so a copy of the database
/// cannot be turned into a working cookie.
/// </summary>
public sealed class UserSession
{
    /// <summary>How long a session may go unseen before it is of no use: the cookie lives 7 days, sliding.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromDays(7);

    /// <summary>"Last seen" is written at most this often per session, not on every request.</summary>
    public static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(1);

    public const int MaxUserAgentLength = 256;

    /// <summary>SHA-256 of the cookie's token, lower-case hex.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The address of the last request seen (behind trusted proxies, the client's).</summary>
    public string? Ip { get; set; }

    public string? UserAgent { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// Not ended and seen recently enough for its cookie to be alive. "Last seen" lags by up to
    /// <see cref="SeenEvery"/>, so that much slack is allowed beyond the cookie's lifetime.
    /// </summary>
    public bool IsActiveAt(DateTimeOffset now) => EndedAt is null && now - LastSeenAt <= IdleLimit + SeenEvery;

    /// <summary>Whether this request should write "last seen" (the throttle).</summary>
    public bool NeedsSeenAt(DateTimeOffset now) => now - LastSeenAt >= SeenEvery;

    public static string? TrimUserAgent(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) ? null : userAgent.Length <= MaxUserAgentLength ? userAgent : userAgent[..MaxUserAgentLength];
}

/// <summary>The random token a session cookie carries, and the hash that is all the database keeps of it.</summary>
public static class SessionTokens
{
    /// <summary>256 bits from the CSPRNG, base64url.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// A plain SHA-256 is enough: the token is random and long, so there is nothing to guess that a
    /// slow hash would protect.
    /// </summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="id"/> can be a session's id (64 lower-case hex digits), checked before any query.</summary>
    public static bool IsWellFormedId(string? id) => id is { Length: 64 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
