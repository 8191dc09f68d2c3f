using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Settings;

/// <summary>An owner requires two-factor authentication; a member without it is held at the Account page until they set it up.</summary>
public sealed class RequireTwoFactorBrowserTests(NexusApp<RequireTwoFactorBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<RequireTwoFactorBrowserTests>>
{
    [Fact]
    public async Task An_owner_requires_two_factor_and_a_member_without_it_sets_it_up_before_reaching_the_keys()
    {
        var baseUrl = app.StartKestrel();
        var (_, owner, ownerProblems) = await OpenAsync(baseUrl);
        await SignUpAsync(owner, DashboardClient.NewEmail(), "Strict Co");
        await Expect(owner).ToHaveURLAsync(new Regex("/keys$"));

        // Settings says why the owner cannot require it yet.
        await owner.GotoAsync("/settings");
        await Expect(owner.Locator("#require-two-factor-help")).ToContainTextAsync("Turn on two-factor authentication for your own account first");
        await Expect(owner.Locator("#require-two-factor-toggle")).ToBeDisabledAsync();

        await owner.GotoAsync("/account");
        await SetUpTwoFactorAsync(owner);

        // Invite a developer, who joins in another browser and logs out.
        var memberEmail = DashboardClient.NewEmail();
        await owner.GotoAsync("/settings");
        await owner.GetByLabel("Invite by email").FillAsync(memberEmail);
        await owner.Locator("#invite-role").SelectOptionAsync("Developer");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var link = await owner.GetByRole(AriaRole.Textbox, new() { Name = "Invitation link" }).InputValueAsync();
        var (_, member, memberProblems) = await OpenAsync(baseUrl);
        await member.GotoAsync(link);
        await member.GetByLabel("Choose a password").FillAsync(DashboardClient.Password);
        await member.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/keys$"));
        await member.Locator("aside").GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/login$"));

        // The owner requires it; Members counts who lacks it.
        await owner.ReloadAsync();
        await Expect(owner.Locator("#members-without-2fa")).ToContainTextAsync("1 of 2 members have not turned on two-factor authentication.");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Require two-factor authentication" }).ClickAsync();
        await Expect(owner.Locator("#require-two-factor-state")).ToContainTextAsync("Every member needs two-factor authentication.");
        await Shoot(owner, "settings-2fa-required");

        // The member logs in and lands on the Account page with the notice, whatever page they try.
        await member.GetByLabel("Email").FillAsync(memberEmail);
        await member.GetByLabel("Password").FillAsync(DashboardClient.Password);
        await member.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/account$"));
        await Expect(member.Locator("#two-factor-required")).ToHaveTextAsync(new Regex("Strict Co requires two-factor authentication. Set it up to continue."));
        await member.Locator("aside").GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/account$"));
        await Shoot(member, "account-2fa-required");

        await SetUpTwoFactorAsync(member);
        await Expect(member.Locator("#two-factor-required")).ToHaveCountAsync(0);
        // No longer held: the page that turned it on already polls the worker badge.
        await Expect(member.Locator("#worker-status [data-worker-status]")).ToBeVisibleAsync();
        await member.Locator("aside").GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/keys$"));
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        Assert.Empty(ownerProblems);
        Assert.Empty(memberProblems);
    }

    /// <summary>On the Account page: starts set-up and confirms with the code an authenticator computes from the key shown.</summary>
    private static async Task SetUpTwoFactorAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" }).ClickAsync();
        var secret = (await page.Locator("#totp-secret").InnerTextAsync()).Replace(" ", "");
        await page.GetByLabel("2. Enter the 6-digit code the app shows").FillAsync(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(page.Locator("#two-factor-status")).ToHaveTextAsync("On");
    }
}
