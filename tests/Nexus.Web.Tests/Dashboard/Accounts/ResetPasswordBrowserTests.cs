using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Infrastructure.Admin;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Accounts;

/// <summary>A locked-out user opens the link an operator printed, sets a new password and logs in with it.</summary>
public sealed class ResetPasswordBrowserTests(NexusApp<ResetPasswordBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<ResetPasswordBrowserTests>>
{
    private const string NewPassword = "a brand new long passphrase";

    [Fact]
    public async Task The_link_asks_for_the_password_twice_and_leads_to_the_login_page_with_a_notice()
    {
        var baseUrl = app.StartKestrel();
        var (_, before, _) = await OpenAsync(baseUrl);
        var email = DashboardClient.NewEmail();
        await SignUpAsync(before, email, "Locked Out Co");
        await Expect(before).ToHaveURLAsync(new Regex("/keys$"));
        var command = await ResetCommand.RunAsync(app, TimeProvider.System, email);
        var (_, page, problems) = await OpenAsync(baseUrl);

        await page.GotoAsync(command.Path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set a new password" })).ToBeVisibleAsync();
        await Expect(page.Locator("#reset-password")).ToContainTextAsync(email);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirm new password").FillAsync(NewPassword + "?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        await Expect(page.Locator("#confirm-password-error")).ToHaveTextAsync("The two passwords do not match.");
        await Shoot(page, "reset-password-mismatch");

        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?reset=done$"));
        await Expect(page.Locator("#password-reset")).ToHaveTextAsync("Your password was reset. Log in with the new one.");
        await Shoot(page, "reset-password-done");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        // The browser signed in before the reset is signed out.
        await before.ReloadAsync();
        await Expect(before).ToHaveURLAsync(new Regex("/login"));
        // The used link is the "not valid" page.
        await page.GotoAsync(command.Path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This password reset link is not valid" })).ToBeVisibleAsync();
        await Shoot(page, "reset-password-invalid");
        // The browser reports the refused form (422) and the used link (404) as failed loads; nothing else went wrong.
        Assert.DoesNotContain(problems, p => !Regex.IsMatch(p, "^Failed to load resource: the server responded with a status of (422|404)"));
    }
}
