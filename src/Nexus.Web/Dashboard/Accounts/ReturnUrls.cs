using Microsoft.AspNetCore.Http.HttpResults;

namespace Nexus.Web.Dashboard.Accounts;

/// <summary>Where to go after signing in; only paths on this site, so a crafted link cannot bounce a user elsewhere.</summary>
public static class ReturnUrls
{
    public const string Default = "/keys";

    /// <summary>
    /// The framework's local-URL rule, plus two of ours: a plain path (no <c>~/</c>), and no
    /// control characters, which browsers strip, turning <c>/\t/evil.example</c> into <c>//evil.example</c>.
    /// </summary>
    public static string Safe(string? url) =>
        url is { Length: > 0 and <= 500 }
        && url[0] == '/'
        && RedirectHttpResult.IsLocalUrl(url)
        && !url.Any(char.IsControl)
            ? url
            : Default;
}
