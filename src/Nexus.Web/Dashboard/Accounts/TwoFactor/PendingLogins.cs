using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Nexus.Shared.Accounts;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>A password accepted, waiting for the second factor: whose, and where to go after.</summary>
public sealed record PendingLogin(string UserId, string Stamp, string ReturnUrl);

/// <summary>
/// Carries a login between the password and the code in a short-lived cookie, encrypted and signed by
/// data protection (the same key ring as the session cookie), so it cannot be read, forged or moved to
/// another user; it holds the security stamp, so a logout or password change elsewhere voids it. Its
/// five minutes are checked against the app's clock, not only the browser's.
/// </summary>
public sealed class PendingLogins(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Cookie = "nexus_2fa";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly IDataProtector _protector = protection.CreateProtector("Nexus.Dashboard.PendingLogin.v1");

    private sealed record Payload(string U, string S, string R, long E);

    public void Issue(HttpContext http, User user, string returnUrl)
    {
        var payload = new Payload(user.Id, user.SecurityStamp, returnUrl, (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
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
            return new PendingLogin(payload.U, payload.S, payload.R);
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Cookie, Options(http, null));

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
