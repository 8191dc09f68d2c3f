using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>
/// The delivery table and detail panel with long values (URLs, errors, payload lines), at a laptop's
/// and a phone's width: endpoints stay told apart, nothing is clipped, and the page never scrolls
/// sideways. Set NEXUS_SCREENSHOTS to a folder to keep the screenshots.
/// </summary>
public sealed class DeliveryLayoutBrowserTests(NexusApp<DeliveryLayoutBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<DeliveryLayoutBrowserTests>>
{
    private const string Fail = "https://example.com/hooks/fail";
    private const string Ok = "https://example.com/hooks/ok";
    private const string Long = "https://billing-events.internal-services.example.com/api/webhooks/nexus/production-receiver?tenant=acme-corporation-1234567890";

    [Fact]
    public async Task Endpoints_are_told_apart_and_a_long_delivery_fits_at_1280_and_390_px()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl, 900, failedResponses: true);
        var email = DashboardClient.NewEmail();
        await SignUpAsync(page, email, "Layout Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        // The same account, signed in beside the browser, arranges the endpoints.
        var client = new DashboardClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl });
        await client.LogInAsync(email, DashboardClient.Password);
        var fail = await client.CreatedEndpointAsync(app.Store, Fail);
        var ok = await client.CreatedEndpointAsync(app.Store, Ok);
        var longer = await client.CreatedEndpointAsync(app.Store, Long);
        await app.Store.StoreDeliveryAsync(ok, DeliveryStatus.Succeeded, attempts: WebhookPage.Attempt(200, body: "thanks"));
        await app.Store.StoreDeliveryAsync(fail, DeliveryStatus.Failed, attempts: WebhookPage.Attempt(500, "The receiver answered 500.", "<h1>oops</h1>"));
        var payload = $$"""{"object":"note","id":"note_1","title":"{{new string('x', 180)}}","url":"{{Long}}"}""";
        var error = "The receiver at " + Long + " did not answer within 15 seconds: " + new string('y', 120);
        var (_, retrying) = await app.Store.StoreDeliveryAsync(longer, DeliveryStatus.Pending, payload: payload,
            attempts: WebhookPage.Attempt(null, error, null));
        // A long custom event type, created long enough ago for a long "… ago": the widest row a phone gets.
        var orders = await client.CreatedEndpointAsync(app.Store, "https://example.com/hooks/orders");
        await app.Store.StoreDeliveryAsync(orders, DeliveryStatus.Failed, createdAt: DateTimeOffset.UtcNow.AddMinutes(-42),
            eventType: "custom.order.shipped.internationally", attempts: WebhookPage.Attempt(500, "The receiver answered 500.", "<h1>oops</h1>"));

        await page.GotoAsync($"/webhooks?mode=test&delivery={retrying.Id}");
        var table = page.Locator("#delivery-table table");
        var panel = page.Locator("#delivery-panel-content");
        await Expect(panel).ToBeVisibleAsync();
        await Shoot(page, "deliveries-1280");

        // Each endpoint cell shows what tells it apart, in full; the full URL is its title.
        var failCell = page.Locator($"#delivery-table tr:has(span[title='{Fail}']) [data-endpoint-url]");
        var okCell = page.Locator($"#delivery-table tr:has(span[title='{Ok}']) [data-endpoint-url]");
        await Expect(failCell).ToHaveTextAsync(new Regex("/hooks/fail$"));
        await Expect(okCell).ToHaveTextAsync(new Regex("/hooks/ok$"));
        await Expect(page.Locator($"#delivery-table [data-endpoint-url][title='{Long}']")).ToHaveTextAsync(new Regex("^billing.*….*1234567890$"));
        Assert.Equal(0, await Clipped(page, "#delivery-table [data-endpoint-url]"));
        // All seven columns, and the table no wider than its card.
        await Expect(table.Locator("thead th:visible")).ToHaveCountAsync(7);
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the table is wider than its card at 1280 px");
        // No value in the panel's facts is cut off (e.g. "Next attempt").
        Assert.Equal(0, await Clipped(page, "#delivery-panel-content dd"));
        Assert.Equal("", await Outside(page));

        // Beside the sidebar (1024 px) the table fits its card too: the attempts go under the response, the creation and next attempt times under the status.
        await page.SetViewportSizeAsync(1024, 900);
        await page.GotoAsync("/webhooks?mode=test");
        await Shoot(page, "deliveries-1024");
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the table is wider than its card at 1024 px");
        await Expect(table.Locator("thead th:visible")).ToHaveCountAsync(4);
        await Expect(table.Locator("tr:has-text('custom.order.shipped') time:visible")).ToHaveTextAsync(new Regex("^4[2-9] minutes ago$"));
        var retryingRow = table.Locator($"#delivery-{retrying.Id}");
        await Expect(retryingRow.Locator("[data-attempts-below]")).ToHaveTextAsync("1 attempt");
        await Expect(retryingRow.Locator("[data-next-below]")).ToHaveTextAsync(new Regex("^next in [45] min$"));
        Assert.Equal("", await page.EvaluateAsync<string>("""
            [...document.querySelectorAll("#delivery-table tbody tr td:last-child")].filter(td => td.getBoundingClientRect().right > td.closest(".panel").getBoundingClientRect().right + 0.5).map(td => td.textContent.trim()).join(" | ")
            """));

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/webhooks?mode=test&delivery={retrying.Id}");
        await Expect(panel).ToBeVisibleAsync();
        await Shoot(page, "deliveries-390");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/webhooks scrolls sideways at 390 px");
        // The table fits its card too: no column (the creation time) is cut off at the card's edge. The time goes under the status.
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the table is wider than its card at 390 px");
        await Expect(table.Locator("tr:has-text('custom.order.shipped') time:visible")).ToHaveTextAsync(new Regex("^4[2-9] minutes ago$"));
        Assert.Equal(0, await Clipped(page, "#delivery-panel-content dd"));
        Assert.Equal("", await Outside(page));
        // The payload scrolls inside its own box rather than widening the page.
        Assert.True(await panel.Locator("[data-payload]").EvaluateAsync<bool>("p => p.scrollWidth > p.clientWidth && p.getBoundingClientRect().right <= window.innerWidth"));
        Assert.Empty(problems);
    }

    /// <summary>How many elements matching <paramref name="selector"/> have content cut off at their right edge.</summary>
    private static Task<int> Clipped(IPage page, string selector) =>
        page.EvaluateAsync<int>($"[...document.querySelectorAll(\"{selector}\")].filter(e => e.scrollWidth > e.clientWidth + 1).length");

    /// <summary>The panel's elements that lie partly outside the viewport or outside the panel (empty when none).</summary>
    private static Task<string> Outside(IPage page) => page.EvaluateAsync<string>("""
        (() => {
          const panel = document.getElementById("delivery-panel-content").getBoundingClientRect();
          const right = Math.min(window.innerWidth, panel.right) + 0.5;
          return [...document.querySelectorAll("#delivery-panel-content *")]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < -0.5 || r.right > right); })
            .slice(0, 6).map(e => e.tagName.toLowerCase() + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(" | ");
        })()
        """);
}
