using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Account;

/// <summary>Setting up two-factor authentication in Chromium, with an "authenticator" computing codes from the key the page shows.</summary>
public sealed class TwoFactorBrowserTests(NexusApp<TwoFactorBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<TwoFactorBrowserTests>>
{
    [Fact]
    public async Task A_user_sets_up_an_authenticator_logs_out_and_logs_in_with_password_and_code()
    {
        var baseUrl = app.StartKestrel();
        var (_, page, problems) = await OpenAsync(baseUrl, failedResponses: true);
        var email = DashboardClient.NewEmail();
        await SignUpAsync(page, email, "Second Factor Co");
        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));

        // The account menu in the sidebar leads to the Account page.
        await page.Locator("aside").GetByTitle($"Account: {email}").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Account", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" }).ClickAsync();

        // The QR code is drawn (a real image, allowed by the CSP) and the key can be read for typing by hand.
        var qr = page.GetByAltText("QR code for your authenticator app");
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"), "the QR code did not load");
        var secret = (await page.Locator("#totp-secret").InnerTextAsync()).Replace(" ", "");
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        var authenticator = new Totp(Base32Encoding.ToBytes(secret));

        var enrolCode = authenticator.ComputeTotp();
        await page.GetByLabel("2. Enter the 6-digit code the app shows").FillAsync(enrolCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(page.Locator("#two-factor-status")).ToHaveTextAsync("On");
        await Expect(page.Locator("[data-recovery-code]")).ToHaveCountAsync(10);
        await Shoot(page, "account-2fa-on");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/login/code$"));
        // "Start again" ends this login: the password comes first once more.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start again" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login/code$"));
        // The code that turned it on is spent; an authenticator shows the next one 30 seconds later. Rather than
        // wait, the test reads it a step ahead (accepted: clocks drift by a step).
        var loginCode = authenticator.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        if (loginCode == enrolCode) loginCode = authenticator.ComputeTotp(DateTime.UtcNow.AddSeconds(60));
        await page.GetByLabel("Authentication code").FillAsync(loginCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/keys$"));
        await Expect(page.Locator("aside")).ToContainTextAsync("Second Factor Co");
        Assert.Empty(problems);
    }
}
