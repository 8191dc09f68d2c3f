using System.Net;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Team;

public sealed class OrgSwitchTests(NexusApp<OrgSwitchTests> app) : IClassFixture<NexusApp<OrgSwitchTests>>
{
    [Fact]
    public async Task The_switcher_appears_with_a_second_org_and_moves_the_session_there()
    {
        var (client, email, home, away) = await TwoOrgsAsync();
        Assert.Contains("<title>Settings · Away · Nexus</title>", await client.Http.GetStringAsync("/settings")); // joining switched

        var page = await client.Http.GetStringAsync("/keys");
        Assert.Contains("Switch organization", page);
        var response = await client.PostFormAsync("/orgs/switch", [new("org_id", home)], await client.TokenFromAsync("/keys"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/keys", response.Headers.Location!.OriginalString);
        Assert.Contains("<title>Settings · Home · Nexus</title>", await client.Http.GetStringAsync("/settings"));
        Assert.Equal(home, (await UserAsync(email)).LastOrgId);
    }

    [Fact]
    public async Task One_org_shows_no_switcher()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        Assert.DoesNotContain("Switch organization", await client.Http.GetStringAsync("/keys"));
    }

    [Fact]
    public async Task Switching_to_an_org_the_user_is_not_in_is_404_and_keeps_the_session()
    {
        var (client, _, _, _) = await TwoOrgsAsync();
        var stranger = DashboardClient.For(app);
        var strangerOrg = (await app.Store.OrgOfAsync(app.Services, await stranger.SignUpNewAsync("Stranger"))).Org.Id;

        foreach (var id in new[] { strangerOrg, "org_nope", "", new string('o', 5000) })
        {
            var response = await client.PostFormAsync("/orgs/switch", [new("org_id", id)], await client.TokenFromAsync("/keys"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var forged = await client.PostFormAsync("/orgs/switch", [new("org_id", strangerOrg)], token: null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("<title>Settings · Away · Nexus</title>", await client.Http.GetStringAsync("/settings"));
    }

    [Fact]
    public async Task Login_opens_the_org_used_last()
    {
        var (client, email, home, _) = await TwoOrgsAsync();

        var first = DashboardClient.For(app);
        await first.LogInAsync(email, DashboardClient.Password);
        Assert.Contains("<title>Settings · Away · Nexus</title>", await first.Http.GetStringAsync("/settings"));

        await client.PostFormAsync("/orgs/switch", [new("org_id", home)], await client.TokenFromAsync("/keys"));
        var second = DashboardClient.For(app);
        await second.LogInAsync(email, DashboardClient.Password);
        Assert.Contains("<title>Settings · Home · Nexus</title>", await second.Http.GetStringAsync("/settings"));
    }

    [Fact]
    public async Task Login_opens_the_oldest_membership_when_none_was_used_or_the_last_one_is_gone()
    {
        var (_, email, _, away) = await TwoOrgsAsync();
        await SetLastOrgAsync(email, null);

        var none = DashboardClient.For(app);
        await none.LogInAsync(email, DashboardClient.Password);
        Assert.Contains("<title>Settings · Home · Nexus</title>", await none.Http.GetStringAsync("/settings"));

        await SetLastOrgAsync(email, "org_gone");
        var gone = DashboardClient.For(app);
        await gone.LogInAsync(email, DashboardClient.Password);
        Assert.Contains("<title>Settings · Home · Nexus</title>", await gone.Http.GetStringAsync("/settings"));
        Assert.NotEqual(away, (await UserAsync(email)).LastOrgId);
    }

    [Fact]
    public async Task Leaving_one_of_two_orgs_moves_the_session_to_the_other()
    {
        var (client, email, home, away) = await TwoOrgsAsync();

        var response = await client.LeaveAsync();

        Assert.Equal("/keys", response.Headers.GetValues("HX-Redirect").Single());
        Assert.Contains("<title>Settings · Home · Nexus</title>", await client.Http.GetStringAsync("/settings"));
        Assert.Null(await app.Store.MembershipAsync(away, email));
        Assert.DoesNotContain("Switch organization", await client.Http.GetStringAsync("/keys"));
    }

    /// <summary>A user who signed up with "Home" and then joined "Away" by invitation (the session is in Away).</summary>
    private async Task<(DashboardClient Client, string Email, string Home, string Away)> TwoOrgsAsync()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Home");
        var home = (await app.Store.OrgOfAsync(app.Services, email)).Org.Id;
        var owner = DashboardClient.For(app);
        var ownerEmail = await owner.SignUpNewAsync("Away");
        var away = (await app.Store.OrgOfAsync(app.Services, ownerEmail)).Org.Id;
        Assert.Equal(HttpStatusCode.Redirect, (await client.AcceptAsync(await owner.InviteLinkAsync(email, "Viewer"))).StatusCode);
        return (client, email, home, away);
    }

    private async Task<User> UserAsync(string email)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<User>().SingleAsync(u => u.Email == email);
    }

    private async Task SetLastOrgAsync(string email, string? orgId)
    {
        var user = await UserAsync(email);
        await using var session = app.Store.LightweightSession();
        session.Patch<User>(user.Id).Set(u => u.LastOrgId, orgId);
        await session.SaveChangesAsync();
    }
}
