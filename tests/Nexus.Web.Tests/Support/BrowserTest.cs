using Microsoft.Playwright;
using Nexus.Web.Tests.Dashboard;

namespace Nexus.Web.Tests.Support;

/// <summary>A page in the machine's Chromium, with what went wrong in it so far (console errors, uncaught exceptions, failed responses).</summary>
public sealed record BrowserPage(IBrowserContext Context, IPage Page, List<string> Problems);

/// <summary>
/// What every browser test needs: one headless Chromium per test class, pages on the app's real
/// Kestrel that record their problems (a test asserts there were none; a native dialog is one),
/// and signing up through the form.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public virtual async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A new page on <paramref name="baseUrl"/>, <paramref name="height"/> pixels tall; with <paramref name="failedResponses"/> every 4xx/5xx response it receives counts as a problem too.</summary>
    protected async Task<BrowserPage> OpenAsync(Uri baseUrl, int height = 900, bool failedResponses = false)
    {
        var context = await _browser!.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = height } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        // The dashboard confirms in the page; a native dialog (confirm(), alert()) is a problem, and is dismissed.
        page.Dialog += (_, dialog) => { problems.Add($"native {dialog.Type} dialog: {dialog.Message}"); dialog.DismissAsync(); };
        if (failedResponses) page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Request.Method} {r.Url}"); };
        return new(context, page, problems);
    }

    /// <summary>Keeps a full-page screenshot as <c>name.png</c> in the folder NEXUS_SCREENSHOTS names, when it is set.</summary>
    protected static async Task Shoot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("NEXUS_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Signs up through the form; the page ends on the dashboard.</summary>
    protected static async Task SignUpAsync(IPage page, string email, string org)
    {
        await page.GotoAsync("/signup");
        await page.GetByLabel("Work email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await page.GetByLabel("Organization name").FillAsync(org);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }
}
