using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Layout;

/// <summary>The phone's top bar: a named menu button that opens the navigation and closes on Escape; the logo stays a link.</summary>
public sealed class PhoneMenuBrowserTests(NexusApp<PhoneMenuBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<PhoneMenuBrowserTests>>
{
    [Fact]
    public async Task The_menu_button_opens_the_navigation_Escape_closes_it_and_the_logo_is_a_link()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl);
        await SignUpAsync(page, DashboardClient.NewEmail(), "Phone Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));
        await page.SetViewportSizeAsync(390, 844);

        var bar = page.Locator("header:has(details[data-menu])");
        var menu = bar.GetByLabel("Menu", new() { Exact = true }); // the summary, named by its aria-label
        var audit = bar.GetByRole(AriaRole.Link, new() { Name = "Audit log" });
        await Expect(audit).ToBeHiddenAsync();

        await menu.ClickAsync();
        await Expect(audit).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(audit).ToBeHiddenAsync();
        await Expect(menu).ToBeFocusedAsync();

        // The logo is a link of its own, not part of the button: it goes home and leaves the menu shut.
        await page.GotoAsync("/audit");
        await bar.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));
        await Expect(audit).ToBeHiddenAsync();
        Assert.Empty(problems);
    }
}
