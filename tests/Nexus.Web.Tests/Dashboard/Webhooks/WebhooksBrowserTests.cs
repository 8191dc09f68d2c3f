using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>
/// The Webhooks page as a person uses it in Chromium, with the real worker delivering to a real
/// loopback receiver: register an endpoint, send a test event, watch its row turn green without a
/// reload, open it. Set NEXUS_SCREENSHOTS to a folder to keep screenshots at desktop and phone widths.
/// </summary>
public sealed class WebhooksBrowserTests(NexusApp<WebhooksBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<WebhooksBrowserTests>>
{
    private LoopbackReceiver? _receiver;
    private IHost? _worker;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await LoopbackReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        if (_receiver is not null) await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_test_event_sent_from_the_page_turns_green_in_the_live_table_and_its_attempt_shows_200()
    {
        var baseUrl = app.StartKestrel();
        _worker = await InProcessWorker.StartAsync(app);
        var (_, page, problems) = await OpenAsync(baseUrl, 900, failedResponses: true);

        await SignUpAsync(page, DashboardClient.NewEmail(), "Hooks Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/webhooks$"));
        await Expect(page.GetByText("No test webhook endpoints yet")).ToBeVisibleAsync();
        await Shoot(page, "webhooks-empty-1280");

        // Register the receiver: all events by default, so the single types are ticked and disabled.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).First.ClickAsync();
        await page.GetByLabel("Endpoint URL").FillAsync(_receiver!.Url);
        await page.GetByLabel("Description (optional)").FillAsync("Loopback receiver");
        await Expect(page.Locator("#event-note-created")).ToBeDisabledAsync();
        await page.GetByLabel("All events").UncheckAsync();
        await Expect(page.Locator("#event-note-created")).ToBeEnabledAsync();
        await page.GetByLabel("All events").CheckAsync();
        await Shoot(page, "webhooks-form-1280");
        await page.Locator("#webhook-panel form").GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();

        var secretField = page.GetByLabel("Signing secret", new() { Exact = true });
        await Expect(secretField).ToBeVisibleAsync();
        var secret = await secretField.InputValueAsync();
        Assert.StartsWith("whsec_", secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        var endpointRow = page.Locator("[data-endpoint-id]");
        await Expect(endpointRow).ToContainTextAsync(_receiver.Url);
        await Shoot(page, "webhooks-secret-1280");
        await page.GetByRole(AriaRole.Button, new() { Name = "I've saved it" }).ClickAsync();

        // A marker on the window: it survives only if the page is never reloaded.
        await page.EvaluateAsync("window.__sameDocument = true");
        await endpointRow.GetByRole(AriaRole.Button, new() { Name = $"Send test event to {_receiver.Url}" }).ClickAsync();
        await Expect(page.GetByText("Test event queued")).ToBeVisibleAsync();

        var row = page.Locator("#delivery-table tr[data-delivery-id]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
        await Expect(row.Locator("[data-badge]")).ToHaveTextAsync("Succeeded");
        await Expect(row.Locator("[data-badge]")).ToHaveClassAsync(new Regex("badge-active"));
        await Expect(row.Locator("[data-response]")).ToHaveTextAsync("200");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was reloaded");

        // The receiver got it once, signed with the secret the page showed.
        var received = Assert.Single(_receiver.Received);
        Assert.Equal("test.ping", System.Text.Json.JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString());
        Assert.True(NexusWebhook.Verify(secret, received.Header("webhook-id"), received.Header("webhook-timestamp"), received.Header("webhook-signature"),
            received.Body, DateTimeOffset.UtcNow), "the signature does not verify with the shown secret");
        await Shoot(page, "webhooks-delivered-1280");

        await row.GetByRole(AriaRole.Button).ClickAsync();
        var detail = page.Locator("#delivery-panel-content");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail.Locator("[data-attempt][data-status-code='200']")).ToHaveCountAsync(1);
        await Expect(detail.Locator("[data-payload]")).ToContainTextAsync("\"type\": \"test.ping\"");
        await Expect(detail).ToContainTextAsync("received");
        await Shoot(page, "webhooks-detail-1280");

        // Replay: a second delivery of the same event, with the same webhook-id, delivered too.
        await detail.GetByRole(AriaRole.Button, new() { Name = "Replay event" }).ClickAsync();
        await Expect(detail).ToContainTextAsync("Event replayed");
        await Expect(page.Locator("#delivery-table tr[data-status=succeeded]")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        Assert.Equal(2, _receiver.Received.Count);
        Assert.Equal(received.Header("webhook-id"), _receiver.Received[1].Header("webhook-id"));
        Assert.Equal(received.Body, _receiver.Received[1].Body);

        // Disable from the "More" menu: the endpoint says so and loses its test button; enable it again.
        await endpointRow.Locator("details[data-menu] summary").ClickAsync();
        await Expect(endpointRow.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" })).ToBeVisibleAsync();
        await Shoot(page, "webhooks-menu-1280");
        await endpointRow.GetByRole(AriaRole.Menuitem, new() { Name = "Disable" }).ClickAsync();
        await Expect(endpointRow).ToHaveAttributeAsync("data-enabled", "false");
        await Expect(endpointRow.GetByRole(AriaRole.Button, new() { Name = $"Send test event to {_receiver.Url}" })).ToHaveCountAsync(0);
        await endpointRow.Locator("details[data-menu] summary").ClickAsync();
        await endpointRow.GetByRole(AriaRole.Menuitem, new() { Name = "Enable" }).ClickAsync();
        await Expect(endpointRow).ToHaveAttributeAsync("data-enabled", "true");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was reloaded");

        // Delete asks in the page; only the dialog's red button deletes.
        await endpointRow.Locator("details[data-menu] summary").ClickAsync();
        await endpointRow.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this endpoint?" });
        await Expect(confirm).ToContainTextAsync($"Delete the endpoint {_receiver.Url}?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(endpointRow).ToHaveCountAsync(1);
        await endpointRow.Locator("details[data-menu] summary").ClickAsync();
        await endpointRow.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete endpoint" }).ClickAsync();
        await Expect(page.GetByText("No test webhook endpoints yet")).ToBeVisibleAsync();

        // Phone width: nothing overflows the page sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/webhooks");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/webhooks scrolls sideways at 390 px");
        await Shoot(page, "webhooks-390");
        foreach (var (path, name) in new[] { ("/docs/webhooks/signatures", "docs-signatures"), ("/docs/webhooks/events", "docs-events") })
        {
            await page.SetViewportSizeAsync(1280, 900);
            await page.GotoAsync(path);
            await Shoot(page, name + "-1280");
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync(path);
            await Shoot(page, name + "-390");
            var wide = await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).slice(0,8).map(e => e.tagName + '.' + e.className).join(' | ')");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at 390 px: {wide}");
        }
        Assert.Empty(problems);
    }
}
