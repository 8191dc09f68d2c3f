namespace Nexus.Shared.Accounts;

/// <summary>
/// A readable device for the Sessions list ("Chrome on macOS") from a User-Agent header. Hand-written
/// rather than a library: the list needs a handful of browsers and systems, a parser library brings a
/// regex database to keep up to date (and, here, a package the registry may not hold), and a wrong
/// guess costs nothing: the IP and times are beside it. Order matters: Edge says "Chrome" and
/// "Safari" too, and Chrome says "Safari".
/// </summary>
public static class UserAgents
{
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Unknown device";
        var browser = Browser(userAgent);
        var os = System(userAgent);
        return os is null ? browser : $"{browser} on {os}";
    }

    private static string Browser(string ua)
    {
        if (Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/")) return "Edge";
        if (Has(ua, "Firefox/") || Has(ua, "FxiOS/")) return "Firefox";
        if (Has(ua, "OPR/")) return "Opera";
        if (Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "Chromium/")) return "Chrome";
        if (Has(ua, "Safari/") && Has(ua, "Version/")) return "Safari";
        if (ua.StartsWith("curl/", StringComparison.OrdinalIgnoreCase)) return "curl";
        // Anything else (a script, a bot): its product name, which is all it says about itself.
        var product = ua.Split(' ', '/')[0];
        return product.Length is > 0 and <= 40 && !product.Equals("Mozilla", StringComparison.OrdinalIgnoreCase) ? product : "Other browser";
    }

    private static string? System(string ua)
    {
        if (Has(ua, "iPhone") || Has(ua, "iPad") || Has(ua, "iPod")) return "iOS";
        if (Has(ua, "Android")) return "Android";
        if (Has(ua, "CrOS")) return "ChromeOS";
        if (Has(ua, "Windows")) return "Windows";
        if (Has(ua, "Mac OS X") || Has(ua, "Macintosh")) return "macOS";
        if (Has(ua, "Linux")) return "Linux";
        return null;
    }

    private static bool Has(string ua, string part) => ua.Contains(part, StringComparison.OrdinalIgnoreCase);
}
