using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.DataProtection;
using Nexus.Shared.Accounts;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>A password accepted, waiting for the second factor: whose, and where to go after.</summary>
public sealed record PendingLogin(string UserId, string Stamp, string LoginStamp, string ReturnUrl)
{
    /// <summary>Still the user's to finish: no password change (security stamp) and no logout or "Start again" (pending-login stamp) since.</summary>
    public bool IsCurrentFor(User user) => user.Id == UserId && user.SecurityStamp == Stamp && user.PendingLoginStamp == LoginStamp;
}

/// <summary>
/// Carries a login between the password and the code in a short-lived cookie, encrypted and signed by
/// data protection (the same key ring as the session cookie), so it cannot be read, forged or moved to
/// another user; it holds the user's security stamp and pending-login stamp, so a password change, or
/// a logout or "Start again" (<see cref="EndAll"/>), voids it, and a copy of the cookie with it. Its
/// five minutes are checked against the app's clock, not only the browser's.
/// </summary>
public sealed class PendingLogins(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Cookie = "nexus_2fa";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly IDataProtector _protector = protection.CreateProtector("Nexus.Dashboard.PendingLogin.v1");

    // P (the pending-login stamp) is missing from a cookie issued before it existed: read as a user's first stamp, "".
    private sealed record Payload(string U, string S, string? P, string R, long E);

    public void Issue(HttpContext http, User user, string returnUrl)
    {
        var payload = new Payload(user.Id, user.SecurityStamp, user.PendingLoginStamp, returnUrl, (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        http.Response.Cookies.Append(Cookie, _protector.Protect(JsonSerializer.Serialize(payload)), Options(http, Lifetime));
    }

    /// <summary>The pending login this browser carries, or null when it has none, or one that is expired or tampered with.</summary>
    public PendingLogin? Read(HttpContext http)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 and < 4096 } value) return null;
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(value));
            if (payload is null || DateTimeOffset.FromUnixTimeSeconds(payload.E) <= clock.GetUtcNow()) return null;
            return new PendingLogin(payload.U, payload.S, payload.P ?? "", payload.R);
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Cookie, Options(http, null));

    /// <summary>
    /// Voids every login of the user still waiting for its code, in this browser or another, on the
    /// session's next save. A patch, so it cannot undo a concurrent change to the rest of the user.
    /// </summary>
    public static void EndAll(IDocumentSession session, string userId) =>
        session.Patch<User>(userId).Set(u => u.PendingLoginStamp, SecurityStamps.New());

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/login",
        MaxAge = maxAge,
        IsEssential = true,
    };
}
