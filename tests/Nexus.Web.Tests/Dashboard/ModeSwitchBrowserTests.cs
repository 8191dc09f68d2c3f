using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>
/// The dashboard's test/live switch in Chromium: an org with data in both modes, and every page
/// showing only the mode it says it is in, with the choice kept from page to page.
/// </summary>
public sealed class ModeSwitchBrowserTests(NexusApp<ModeSwitchBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<ModeSwitchBrowserTests>>
{
    private const string TestHook = "http://127.0.0.1:9/sandbox-hooks";
    private const string LiveHook = "http://127.0.0.1:9/production-hooks";

    [Fact]
    public async Task Switching_to_live_hides_every_piece_of_test_data_and_switching_back_shows_it_again()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl, 900, failedResponses: true);
        var email = DashboardClient.NewEmail();
        await SignUpAsync(page, email, "Two Modes Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        // A test key made in the dashboard (so the audit log has it), a live key, a request with
        // each, and a webhook endpoint in each mode.
        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Create test key" }).ClickAsync();
        await page.Locator("#key-panel").GetByLabel("Name").FillAsync("Sandbox key");
        await page.Locator("#key-panel").GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var sandboxKey = await page.GetByLabel("New API key").InputValueAsync();
        Assert.StartsWith("nx_test_", sandboxKey);
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var (productionKey, _) = await org.CreateKeyAsync(Mode.Live, name: "Production key");
        using var api = new HttpClient { BaseAddress = baseUrl };
        var testRequest = await ListNotesAsync(api, sandboxKey);
        var liveRequest = await ListNotesAsync(api, productionKey);
        await app.LoggedRequestsAsync(org.Org.Id, 2);
        await org.CreateEndpointAsync(Mode.Test, url: TestHook);
        await org.CreateEndpointAsync(Mode.Live, url: LiveHook);

        // Test mode, where a new account starts: every page says so and shows the test data.
        await page.ReloadAsync();
        var banner = page.Locator("#test-mode-banner");
        var modeSwitch = page.Locator("aside nav[aria-label=Mode]");
        await Expect(banner).ToContainTextAsync("Test mode");
        await Expect(modeSwitch.Locator("[aria-current=page]")).ToHaveTextAsync("Test");
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("Sandbox key");
        await Expect(page.Locator("#keys-table")).Not.ToContainTextAsync("Production key");
        await GoToAsync(page, "Logs");
        await Expect(page.Locator($"details[data-log-id='{testRequest}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"details[data-log-id='{liveRequest}']")).ToHaveCountAsync(0);
        await GoToAsync(page, "Webhooks");
        await Expect(page.Locator("#webhook-endpoints")).ToContainTextAsync(TestHook);
        await GoToAsync(page, "Audit log");
        await Expect(page.Locator("main")).ToContainTextAsync("Sandbox key");

        // Live: the switch stays on as the user moves around, and no test data is on any page.
        await modeSwitch.GetByRole(AriaRole.Link, new() { Name = "Live" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/audit\?mode=live$"));
        await Expect(banner).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Sandbox key");
        await GoToAsync(page, "API keys");
        await Expect(modeSwitch.Locator("[aria-current=page]")).ToHaveTextAsync("Live");
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("Production key");
        await Expect(page.Locator("#keys-table")).Not.ToContainTextAsync("Sandbox key");
        await GoToAsync(page, "Logs");
        await Expect(page.Locator($"details[data-log-id='{liveRequest}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"details[data-log-id='{testRequest}']")).ToHaveCountAsync(0);
        await GoToAsync(page, "Webhooks");
        await Expect(page.Locator("#webhook-endpoints")).ToContainTextAsync(LiveHook);
        await Expect(page.Locator("#webhook-endpoints")).Not.ToContainTextAsync(TestHook);
        await GoToAsync(page, "Usage");
        await Expect(banner).ToHaveCountAsync(0);
        await Expect(modeSwitch.Locator("[aria-current=page]")).ToHaveTextAsync("Live");
        var live = await page.ContentAsync();
        Assert.DoesNotContain(sandboxKey[..14], live);

        // And back, from the banner's opposite: the switch again.
        await modeSwitch.GetByRole(AriaRole.Link, new() { Name = "Test" }).ClickAsync();
        await Expect(banner).ToBeVisibleAsync();
        await GoToAsync(page, "API keys");
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("Sandbox key");
        await Expect(page.Locator("#keys-table")).Not.ToContainTextAsync("Production key");

        Assert.Empty(problems);
    }

    /// <summary>Follows a sidebar link, which carries no mode: the page shows the one remembered.</summary>
    private static async Task GoToAsync(IPage page, string nav)
    {
        var link = page.Locator("aside").GetByRole(AriaRole.Link, new() { Name = nav, Exact = true });
        var path = await link.GetAttributeAsync("href");
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path!) + "$"));
    }

    private static async Task<string> ListNotesAsync(HttpClient api, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notes");
        request.Headers.Authorization = new("Bearer", key);
        var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ApiAssert.RequestId(response);
    }
}
