namespace Nexus.Web.Dashboard.Accounts;

/// <summary>Where to go after signing in; only paths on this site, so a crafted link cannot bounce a user elsewhere.</summary>
public static class ReturnUrls
{
    public const string Default = "/keys";

    public static string Safe(string? url) =>
        url is { Length: > 0 and <= 500 }
        && url[0] == '/'
        && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl)
            ? url
            : Default;
}
