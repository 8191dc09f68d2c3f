using Microsoft.AspNetCore.Http.HttpResults;

namespace Nexus.Web.Dashboard.Accounts;

/// <summary>Where to go after signing in; only paths on this site, so a crafted link cannot bounce a user elsewhere.</summary>
public static class ReturnUrls
{
    public const string Default = "/keys";

    /// <summary>
    /// The framework's local-URL rule, plus two of ours: a plain path (no <c>~/</c>), and printable
    /// ASCII only. Browsers strip control characters, turning <c>/\t/evil.example</c> into
    /// <c>//evil.example</c>; and a Location header holds no other character (<c>/ü</c> was a 500, after
    /// the sign-in it followed had already made a session). Every return URL Nexus builds is escaped.
    /// </summary>
    public static string Safe(string? url) =>
        url is { Length: > 0 and <= 500 }
        && url[0] == '/'
        && RedirectHttpResult.IsLocalUrl(url)
        && url.All(c => c is > ' ' and < '\x7f')
            ? url
            : Default;
}
