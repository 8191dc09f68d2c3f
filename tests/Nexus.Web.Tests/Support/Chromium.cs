namespace Nexus.Web.Tests.Support;

/// <summary>The machine's Chromium (Debian's package); Playwright drives it instead of downloading its own.</summary>
public static class Chromium
{
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("NEXUS_CHROMIUM")
        ?? new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium not found: `apt-get install chromium` (make test does this), or set NEXUS_CHROMIUM.");
}
