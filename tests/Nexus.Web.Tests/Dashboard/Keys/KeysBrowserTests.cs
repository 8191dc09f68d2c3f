using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Keys;

/// <summary>
/// The key flow as a person sees it, in the machine's Chromium against the app on real Kestrel
/// (static assets included: `make test` builds them first).
/// </summary>
public sealed class KeysBrowserTests(NexusApp<KeysBrowserTests> app) : IClassFixture<NexusApp<KeysBrowserTests>>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Fact]
    public async Task A_new_key_is_shown_once_works_against_the_api_and_stops_when_revoked()
    {
        var baseUrl = app.StartKestrel();
        var context = await _browser!.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);

        await page.GotoAsync("/signup");
        await page.GetByLabel("Work email").FillAsync(DashboardClient.NewEmail());
        await page.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await page.GetByLabel("Organization name").FillAsync("Browser Co");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));
        await Expect(page.Locator("aside [data-worker-status]")).ToHaveTextAsync("Worker offline");

        await page.GetByLabel("Name").FillAsync("Browser key");
        await page.GetByText("Test", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = page.GetByLabel("New API key");
        await Expect(shown).ToHaveValueAsync(new Regex("^nx_test_[0-9A-Za-z]{30}$"));
        var key = await shown.InputValueAsync();
        await Expect(page.GetByText("you won't see it again")).ToBeVisibleAsync();
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("Browser key");

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(key, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        using var api = new HttpClient { BaseAddress = baseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/notes")).StatusCode);

        await page.ReloadAsync();
        await Expect(page.Locator("#keys-table")).ToContainTextAsync(key[..14] + "…");
        await Expect(shown).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync());

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("#keys-table tbody tr").First).ToContainTextAsync("Revoked");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/notes")).StatusCode);

        Assert.Empty(problems);
    }
}
