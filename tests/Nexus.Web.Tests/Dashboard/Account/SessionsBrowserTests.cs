using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Account;

/// <summary>Account → Sessions in Chromium: two browsers signed in as one user, one signs the other out.</summary>
public sealed class SessionsBrowserTests(NexusApp<SessionsBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<SessionsBrowserTests>>
{
    [Fact]
    public async Task The_sessions_list_fits_a_phone_and_a_laptop_and_signs_out_another_browser()
    {
        var baseUrl = app.StartKestrel();
        var (_, laptop, laptopProblems) = await OpenAsync(baseUrl);
        var email = DashboardClient.NewEmail();
        await SignUpAsync(laptop, email, "Sessions Co");
        await Expect(laptop).ToHaveURLAsync(new Regex("/keys$"));
        var (_, other, _) = await OpenAsync(baseUrl);
        await other.GotoAsync("/login");
        await other.GetByLabel("Email").FillAsync(email);
        await other.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await other.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(other).ToHaveURLAsync(new Regex("/keys$"));

        await laptop.GotoAsync("/account");
        var rows = laptop.Locator("#session-list li");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("This session");
        await Expect(rows.First).ToContainTextAsync("Chrome on Linux");
        var signOut = rows.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Sign out Chrome on Linux" });
        foreach (var width in new[] { 390, 1280 })
        {
            await laptop.SetViewportSizeAsync(width, 900);
            await Expect(rows.First).ToBeVisibleAsync();
            Assert.True(await laptop.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"/account scrolls sideways at {width} px");
            Assert.True(await signOut.EvaluateAsync<bool>("b => b.getBoundingClientRect().right <= window.innerWidth"), $"Sign out is outside the screen at {width} px");
            Assert.True(await rows.First.Locator("p.truncate").EvaluateAsync<bool>("p => p.clientWidth >= 192"), $"the device is squeezed at {width} px");
            await Shoot(laptop, $"account-sessions-{width}");
        }

        await signOut.ClickAsync();
        var confirm = laptop.GetByRole(AriaRole.Dialog, new() { Name = "Sign out this session?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(laptop.Locator("#sessions-notice")).ToHaveTextAsync("Signed out Chrome on Linux.");
        await Expect(rows).ToHaveCountAsync(1);

        await other.GotoAsync("/keys");
        await Expect(other).ToHaveURLAsync(new Regex("/login"));
        Assert.Empty(laptopProblems);
    }
}
