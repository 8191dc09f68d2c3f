using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nexus.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nexus.Web.Tests.Dashboard.Team;

/// <summary>The whole team story in Chromium: invite, join in another browser, work as a Developer, be removed.</summary>
public sealed class TeamBrowserTests(NexusApp<TeamBrowserTests> app) : BrowserTest, IClassFixture<NexusApp<TeamBrowserTests>>
{
    [Fact]
    public async Task An_owner_invites_a_developer_who_joins_works_within_the_role_and_is_removed()
    {
        var baseUrl = app.StartKestrel();
        var (_, owner, ownerProblems) = await OpenAsync(baseUrl);
        await SignUpAsync(owner, DashboardClient.NewEmail(), "Team Co");
        await Expect(owner).ToHaveURLAsync(new Regex("/keys$"));

        // Invite: the link is shown once, to copy.
        var invited = DashboardClient.NewEmail();
        await owner.GotoAsync("/settings");
        await Expect(owner.Locator("#team-rules")).ToContainTextAsync("An organization always keeps at least one Owner.");
        await owner.GetByLabel("Invite by email").FillAsync(invited);
        await owner.Locator("#invite-role").SelectOptionAsync("Developer");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var shown = owner.GetByRole(AriaRole.Textbox, new() { Name = "Invitation link" });
        await Expect(shown).ToHaveValueAsync(new Regex("/invitations/nxinv_[A-Za-z0-9_-]{43}$"));
        var link = await shown.InputValueAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Copied", Exact = true })).ToBeVisibleAsync();
        await Expect(owner.Locator($"#invitations tr[data-invitation='{invited}']")).ToContainTextAsync("Developer");
        await owner.ReloadAsync();
        await Expect(shown).ToHaveCountAsync(0);
        Assert.DoesNotContain(link, await owner.ContentAsync());
        // On a phone the pending invitations scroll inside their card; the page never scrolls sideways.
        await owner.SetViewportSizeAsync(390, 800);
        Assert.Equal(0, await owner.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        // ...and neither hides anything: the invitation's Revoke is in view without scrolling its card sideways,
        // and the owner's own row keeps room for their email (12rem at least) rather than squeezing it to one letter beside the Leave button.
        var invitations = owner.Locator("#invitations");
        Assert.True(await invitations.EvaluateAsync<bool>("t => t.scrollWidth <= t.parentElement.clientWidth"), "the invitations are wider than their card at 390 px");
        var revoke = owner.GetByRole(AriaRole.Button, new() { Name = $"Revoke invitation for {invited}" });
        Assert.True(await revoke.EvaluateAsync<bool>("b => b.getBoundingClientRect().right <= window.innerWidth"), "Revoke is outside the screen at 390 px");
        Assert.True(await owner.Locator("li[data-member] p.truncate").First.EvaluateAsync<bool>("p => p.clientWidth >= 192"), "the owner's email is squeezed at 390 px");
        await owner.SetViewportSizeAsync(1280, 900);

        // Another browser opens the link and signs up there: no org of its own, straight into Team Co.
        var (_, member, memberProblems) = await OpenAsync(baseUrl);
        await member.GotoAsync(link);
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Join Team Co on Nexus" })).ToBeVisibleAsync();
        await Expect(member.Locator("#invitation-summary")).ToContainTextAsync("to join as a Developer");
        await Expect(member.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(invited);
        await member.GetByLabel("Choose a password").FillAsync(DashboardClient.Password);
        await member.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
        await Expect(member).ToHaveURLAsync(new Regex("/keys$"));
        var sidebar = member.Locator("aside");
        await Expect(sidebar).ToContainTextAsync("Team Co");
        await Expect(sidebar).ToContainTextAsync("Developer");

        // As a Developer: the plan and the team are not theirs to change.
        await member.GotoAsync("/settings");
        await Expect(member.Locator("#switch-plan")).ToBeDisabledAsync();
        await Expect(member.Locator("#invite-form")).ToHaveCountAsync(0);
        await Expect(member.Locator("#rename-org")).ToHaveCountAsync(0);
        await Expect(member.Locator($"li[data-member='{invited}']")).ToContainTextAsync("Developer");

        // The owner sees them and removes them.
        await owner.ReloadAsync();
        var row = owner.Locator($"li[data-member='{invited}']");
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = $"Remove {invited}" }).ClickAsync();
        var confirm = owner.GetByRole(AriaRole.Dialog, new() { Name = "Remove this member?" });
        await Expect(confirm).ToContainTextAsync($"Remove {invited} from this organization?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove member" }).ClickAsync();
        await Expect(owner.Locator("#members-notice")).ToHaveTextAsync($"{invited} was removed.");
        await Expect(row).ToHaveCountAsync(0);

        // Their next navigation goes to login.
        await member.GotoAsync("/keys");
        await Expect(member).ToHaveURLAsync(new Regex("/login"));

        // Every step is in the audit log, the link in none of it.
        await owner.GotoAsync("/audit");
        var actions = await owner.Locator("details[data-action]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.action)");
        Assert.Equal(["member.removed", "member.joined", "member.invited"], actions);
        Assert.DoesNotContain(link[^43..], await owner.ContentAsync());

        Assert.Empty(ownerProblems);
        Assert.Empty(memberProblems);
    }
}
