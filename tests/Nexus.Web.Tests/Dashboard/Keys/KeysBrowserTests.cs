using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Keys;

/// <summary>
/// The key flow as a person sees it, in the machine's Chromium against the app on real Kestrel
/// (static assets included: `make test` builds them first).
/// </summary>
public sealed class KeysBrowserTests(NexusApp<KeysBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<KeysBrowserTests>>
{

    /// <summary>A refused form says why in the toast, not that the page expired (what a bare 400 means to the page).</summary>
    [Fact]
    public async Task A_name_with_a_character_that_cannot_be_saved_is_refused_with_its_reason_in_the_toast()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, _) = await OpenAsync(baseUrl, 800);
        await SignUpAsync(page, DashboardClient.NewEmail(), "Nul Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Create test key" }).ClickAsync();
        var panel = page.Locator("#key-panel");
        await panel.GetByLabel("Name").FillAsync("Back\0end");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Expect(page.Locator("#toast")).ToBeVisibleAsync();
        await Expect(page.Locator("#toast-message")).ToHaveTextAsync(Nexus.Web.Infrastructure.Http.NulCharacterGuard.FormRefused);
        await Expect(page.GetByText("No test keys yet")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_key_is_created_with_a_chosen_scope_rolled_with_grace_revoked_and_audited()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl, 800);

        var email = DashboardClient.NewEmail();
        await SignUpAsync(page, email, "Browser Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));
        await Expect(page.Locator("aside [data-worker-status]")).ToHaveTextAsync("Worker offline");
        await Expect(page.GetByText("No test keys yet")).ToBeVisibleAsync();

        // Create: a test key (the dashboard starts in test mode) that may only read notes.
        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Create test key" }).ClickAsync();
        var panel = page.Locator("#key-panel");
        await panel.GetByLabel("Name").FillAsync("Browser key");
        foreach (var scope in KeyScopes.All.Select(s => s.Name))
            await panel.Locator($"input[name=scopes][value='{scope}']").SetCheckedAsync(scope == KeyScopes.ReadNotes);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = page.GetByLabel("New API key");
        await Expect(shown).ToHaveValueAsync(new Regex("^nx_test_[0-9A-Za-z]{30}$"));
        var first = await shown.InputValueAsync();
        await Expect(page.GetByText("you won't see it again")).ToBeVisibleAsync();
        await Expect(page.Locator("#keys-table")).ToContainTextAsync("Browser key");

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(first, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        using var api = new HttpClient { BaseAddress = baseUrl };
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, first));
        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notes") { Content = JsonContent.Create(new { content = "no" }) };
        write.Headers.Authorization = new("Bearer", first);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(write)).StatusCode);

        await page.ReloadAsync();
        await Expect(page.Locator("#keys-table")).ToContainTextAsync(first[..14] + "…");
        await Expect(shown).ToHaveCountAsync(0);
        Assert.DoesNotContain(first, await page.ContentAsync());

        // Roll with a grace period: the new key once, the old one counting down.
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll Browser key" }).ClickAsync();
        await panel.GetByText("In 3 days").ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Roll key" }).ClickAsync();
        await Expect(shown).ToHaveValueAsync(new Regex("^nx_test_[0-9A-Za-z]{30}$"));
        var second = await shown.InputValueAsync();
        Assert.NotEqual(first, second);
        await Expect(panel).ToContainTextAsync(new Regex(@"keeps working for (2 d 23 h|3 d)"));
        var oldRow = page.Locator("#keys-table tbody tr", new() { Has = page.Locator($"td:first-child code:text-is('{first[..14]}…')") });
        var newRow = page.Locator("#keys-table tbody tr", new() { Has = page.Locator($"td:first-child code:text-is('{second[..14]}…')") });
        await Expect(oldRow.Locator("[data-countdown]")).ToHaveTextAsync(new Regex(@"Stops working in (2 d 23 h|3 d)"));
        await Expect(oldRow).ToContainTextAsync(new Regex(@"Replaced by\s+" + Regex.Escape(second[..14] + "…")));
        await Expect(newRow).ToContainTextAsync("Active");

        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, first));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, second));

        await page.ReloadAsync();
        var afterRoll = await page.ContentAsync();
        Assert.DoesNotContain(first, afterRoll);
        Assert.DoesNotContain(second, afterRoll);

        // Revoke asks in the page first: Cancel (or Escape) leaves the key working.
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke this key?" });
        await newRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(confirm).ToContainTextAsync($"Anything using {second[..14]}… stops working immediately");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await Shoot(page, "keys-revoke-confirm-1280");
        await page.Keyboard.PressAsync("Escape");
        await Expect(confirm).ToBeHiddenAsync();
        await newRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(newRow).ToContainTextAsync("Active");
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, second));

        // Confirmed: the new key stops at once; the old one still has its grace.
        await newRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(newRow).ToContainTextAsync("Revoked");
        await Expect(newRow.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(api, second));

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/audit$"));
        var entries = page.Locator("details[data-action]");
        await Expect(entries).ToHaveCountAsync(3);
        Assert.Equal(["key.revoked", "key.rolled", "key.created"],
            await entries.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.action)"));
        await entries.Nth(1).Locator("summary").ClickAsync();
        await Expect(entries.Nth(1)).ToContainTextAsync("grace_ends_at");

        // Filtering swaps the list in place and keeps the filter in the address bar.
        await page.GetByLabel("Action").SelectOptionAsync("key.rolled");
        await Expect(entries).ToHaveCountAsync(1);
        await Expect(page).ToHaveURLAsync(new Regex(@"/audit\?mode=test&action=key\.rolled"));
        var audit = await page.ContentAsync();
        Assert.DoesNotContain(first, audit);
        Assert.DoesNotContain(second, audit);

        // At 1024 px beside the sidebar, the filters do not overlap and the target keeps room to be read
        // (the one-row layout left it 38 px: "Te…").
        await page.SetViewportSizeAsync(1024, 900);
        Assert.True(await page.EvaluateAsync<bool>("""
            (() => {
              const actor = document.getElementById("audit-actor").getBoundingClientRect();
              const from = document.getElementById("audit-from").getBoundingClientRect();
              return actor.right <= from.left || actor.bottom <= from.top;
            })()
            """), "the Actor filter overlaps From at 1024 px");
        Assert.True(await entries.Locator("summary > span[title]").First.EvaluateAsync<bool>("t => t.scrollWidth <= t.clientWidth"), "the audit target is cut short at 1024 px");

        // The keys table fits its card beside the sidebar: Status and the actions in view, the scopes
        // (no column of their own until 1280 px) under the name. A working key has both actions.
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await org.CreateKeyAsync(name: "Phone key", scopes: [KeyScopes.ReadNotes, KeyScopes.WriteNotes, KeyScopes.ReadEvents]);
        await page.GotoAsync("/keys");
        var table = page.Locator("#keys-table table");
        var phoneRow = page.Locator("#keys-table tbody tr", new() { HasText = "Phone key" });
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the keys table is wider than its card at 1024 px");
        await Expect(phoneRow.Locator("td:first-child [data-scopes]")).ToContainTextAsync("+2 more");
        await Expect(phoneRow.Locator("td:first-child [data-scopes]")).ToHaveAttributeAsync("title", "read:notes, write:notes, read:events");
        foreach (var button in new[] { "Roll Phone key", "Revoke Phone key" })
            await Expect(phoneRow.GetByRole(AriaRole.Button, new() { Name = button })).ToBeInViewportAsync(new() { Ratio = 1 });
        await Shoot(page, "keys-1024");

        // On a phone, Roll and Revoke sit side by side, and nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/keys");
        await Shoot(page, "keys-390");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/keys scrolls sideways at 390 px");
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the keys table is wider than its card at 390 px");
        var roll = (await phoneRow.GetByRole(AriaRole.Button, new() { Name = "Roll Phone key" }).BoundingBoxAsync())!;
        var revoke = (await phoneRow.GetByRole(AriaRole.Button, new() { Name = "Revoke Phone key" }).BoundingBoxAsync())!;
        Assert.True(Math.Abs(roll.Y - revoke.Y) < 1 && revoke.X >= roll.X + roll.Width, $"Roll ({roll.X}, {roll.Y}) and Revoke ({revoke.X}, {revoke.Y}) are not side by side at 390 px");
        Assert.True(revoke.X + revoke.Width <= 390, "Revoke is cut off at 390 px");

        Assert.Empty(problems);
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient api, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notes");
        request.Headers.Authorization = new("Bearer", key);
        return (await api.SendAsync(request)).StatusCode;
    }
}
