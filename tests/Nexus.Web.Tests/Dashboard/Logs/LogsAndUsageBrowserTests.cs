using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Logs;

/// <summary>
/// Real API calls with a key, then the Logs and Usage pages as a person sees them in Chromium.
/// Set NEXUS_SCREENSHOTS to a folder to keep screenshots of both pages at desktop and phone widths.
/// </summary>
public sealed class LogsAndUsageBrowserTests(NexusApp<LogsAndUsageBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<LogsAndUsageBrowserTests>>
{

    [Fact]
    public async Task Requests_made_with_a_key_show_in_the_logs_filtered_and_opened_and_in_the_usage_chart()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl, 900);

        var email = DashboardClient.NewEmail();
        await SignUpAsync(page, email, "Metrics Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        await page.GotoAsync("/logs");
        await Expect(page.GetByText("No test requests yet")).ToBeVisibleAsync();

        // Five calls, under the Free plan's ten a minute: two of them client errors.
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var (plaintext, key) = await org.CreateKeyAsync(Mode.Test, name: "Browser key");
        using var api = new HttpClient { BaseAddress = baseUrl }.WithKey(plaintext);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/notes", NoteData.Json("""{"title":"Hello","body":"From the browser test"}"""))).StatusCode);
        var missing = await api.GetAsync("/api/v1/notes/note_00000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var missingId = ApiAssert.RequestId(missing);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/api/v1/notes", NoteData.Json("""{"title":1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/notes?limit=5")).StatusCode);
        var logs = await app.LoggedRequestsAsync(org.Org.Id, 5);
        await StoreRollupAsync(logs);

        // Logs: all five, then only the 4xx ones, then one opened.
        await page.GotoAsync("/logs");
        var rows = page.Locator("#log-list details");
        await Expect(rows).ToHaveCountAsync(5);
        await page.GetByLabel("Status").SelectOptionAsync("4xx");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page).ToHaveURLAsync(new Regex("status=4xx"));
        await Shoot(page, "logs-1280");
        var row = page.Locator($"details[data-log-id='{missingId}']");
        await row.Locator("summary").ClickAsync();
        var idField = row.GetByLabel("Request id");
        await Expect(idField).ToBeVisibleAsync();
        await Expect(idField).ToHaveValueAsync(missingId);
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "resource_missing" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("/api/v1/notes/{id}");
        await Expect(row.Locator("summary [data-log-key]")).ToHaveTextAsync(new Regex(@"^\s*Browser key\s+" + Regex.Escape(key.Prefix + "…") + @"\s*$"));
        await row.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        Assert.Equal(missingId, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await Shoot(page, "logs-detail-1280");

        // Usage: the totals and the chart with a bar for today.
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/usage$"));
        await Expect(page.Locator("[data-stat=requests] .stat-value")).ToHaveTextAsync("5");
        await Expect(page.Locator("[data-stat=error-rate] .stat-value")).ToHaveTextAsync("40 %");
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Requests per day over the last 7 days" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(page.Locator("[data-usage-chart] g.usage-bar")).ToHaveCountAsync(7);
        await Expect(page.Locator("[data-usage-chart] g.usage-bar").Last).ToHaveAttributeAsync("data-requests", "5");
        await Expect(page.Locator($"tr[data-key-id='{key.Id}']")).ToContainTextAsync("Browser key");
        await Shoot(page, "usage-1280");
        // Beside the sidebar (1024 px) the keys table fits its card: no sparkline or rate-limited column until 1280 px, the count under the key.
        await page.SetViewportSizeAsync(1024, 900);
        Assert.True(await page.Locator("table.usage-keys").EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the usage keys table is wider than its card at 1024 px");
        await Expect(page.Locator($"tr[data-key-id='{key.Id}'] [data-rate-limited]")).ToHaveTextAsync("0 rate-limited");
        await Shoot(page, "usage-1024");
        await page.SetViewportSizeAsync(1280, 900);
        await page.GetByRole(AriaRole.Link, new() { Name = "24 hours" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("period=24h"));
        await Expect(page.Locator("[data-usage-chart] g.usage-bar")).ToHaveCountAsync(24);

        // Phone width: nothing overflows the page sideways.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var (path, name) in new[] { ("/logs?status=4xx", "logs-390"), ("/usage", "usage-390") })
        {
            await page.GotoAsync(path);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at 390 px");
            await Shoot(page, name);
        }
        Assert.Empty(problems);
    }


    /// <summary>What the worker's roll-up job stores (the web tests do not reference the worker).</summary>
    private async Task StoreRollupAsync(IEnumerable<RequestLog> logs)
    {
        await using var session = app.Store.LightweightSession();
        session.Store(UsageRollup.Roll(logs).ToArray());
        await session.SaveChangesAsync();
    }
}
