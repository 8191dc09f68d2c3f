using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard.Team;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Invitations;

public sealed class AcceptTests(NexusApp<AcceptTests> app) : IClassFixture<NexusApp<AcceptTests>>
{
    [Fact]
    public async Task The_page_shows_the_org_the_role_and_who_invited_and_is_never_cached()
    {
        var (owner, ownerEmail, _) = await app.OwnerAsync("Globex");
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited, "Viewer");

        var response = await DashboardClient.For(app).Http.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Join Globex on Nexus", html);
        Assert.Matches($"{Regex.Escape(ownerEmail)}</span> invited <strong[^>]*>{Regex.Escape(invited)}</strong> to join as a Viewer.", html);
        Assert.Contains("Create account and join", html);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory]
    [InlineData("/invitations/nxinv_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // well-formed, unknown
    [InlineData("/invitations/garbage")]
    [InlineData("/invitations/nxinv_{long}")]
    [InlineData("/invitations/nxinv_%2F%2E%2E%2Fkeys")]
    public async Task An_unknown_or_mangled_link_gets_a_clear_page_that_says_nothing_more(string path)
    {
        path = path.Replace("{long}", new string('a', 4000));
        var response = await DashboardClient.For(app).Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This invitation link is not valid", html);
    }

    [Fact]
    public async Task Forms_with_a_bad_token_change_nothing()
    {
        var client = DashboardClient.For(app);
        var before = await CountAsync<User>();

        var signup = await client.PostFormAsync("/invitations/signup", [new("token", "nxinv_" + new string('b', 43)), new("password", DashboardClient.Password)], await client.TokenFromAsync("/login"));
        var missing = await client.PostFormAsync("/invitations/signup", [new("password", DashboardClient.Password)], await client.TokenFromAsync("/login"));
        var huge = await client.PostFormAsync("/invitations/signup", [new("token", new string('x', 100_000))], await client.TokenFromAsync("/login"));
        var forged = await client.PostFormAsync("/invitations/signup", [new("token", "nxinv_" + new string('b', 43))], token: null);

        Assert.Equal(HttpStatusCode.NotFound, signup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, await CountAsync<User>());
    }

    [Fact]
    public async Task A_new_user_signs_up_from_the_invitation_and_joins_the_org_without_creating_one()
    {
        var (owner, _, org) = await app.OwnerAsync("Initech");
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited, "Developer");
        var orgsBefore = await CountAsync<Organization>();
        var invitee = DashboardClient.For(app);

        var response = await invitee.SignUpByInvitationAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/keys", response.Headers.Location!.OriginalString);
        Assert.Equal(orgsBefore, await CountAsync<Organization>());
        var membership = Assert.Single(await app.Store.MembershipsOfAsync(invited));
        Assert.Equal((org.Org.Id, Role.Developer), (membership.OrgId, membership.Role));
        var page = await invitee.Http.GetStringAsync("/settings");
        Assert.Contains("<title>Settings · Initech · Nexus</title>", page);
        Assert.Contains(invited, page);
        var joined = await app.Store.AuditOfAsync(org.Org.Id, AuditActions.MemberJoined);
        Assert.Equal(2, joined.Count);
        Assert.All(joined, e => Assert.Equal((invited, invited, "developer"), (e.ActorLabel, e.TargetLabel, e.Changes[0].After)));
    }

    [Fact]
    public async Task A_removed_member_invited_again_logs_in_from_the_link_and_is_back_in_the_org()
    {
        var (owner, _, org) = await app.OwnerAsync("Umbrella");
        var invited = DashboardClient.NewEmail();
        await DashboardClient.For(app).SignUpByInvitationAsync(await owner.InviteLinkAsync(invited, "Developer"));
        await owner.RemoveAsync((await app.Store.MembershipAsync(org.Org.Id, invited))!.Id);
        Assert.Empty(await app.Store.MembershipsOfAsync(invited));
        var link = await owner.InviteLinkAsync(invited, "Viewer");
        var someoneElses = await owner.InviteLinkAsync(DashboardClient.NewEmail(), "Viewer");
        var invitee = DashboardClient.For(app);

        // With no org left, a login that came from another person's invitation is still refused.
        var (_, refused) = await invitee.LogInAtAsync("/login?ReturnUrl=" + Uri.EscapeDataString(someoneElses), invited);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // From their own, the login accepts it: "Log in to accept" is what they chose.
        var (_, login) = await invitee.LogInAtAsync("/login?ReturnUrl=" + Uri.EscapeDataString(link), invited);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/keys", login.Headers.Location!.OriginalString);
        Assert.Equal(Role.Viewer, (await app.Store.MembershipAsync(org.Org.Id, invited))!.Role);
        Assert.Contains("<title>Settings · Umbrella · Nexus</title>", await invitee.Http.GetStringAsync("/settings"));
        // Two joins, each recorded in both modes' audit logs, as org-level changes are.
        Assert.Equal(4, (await app.Store.AuditOfAsync(org.Org.Id, AuditActions.MemberJoined)).Count(e => e.TargetLabel == invited));
    }

    [Fact]
    public async Task A_weak_password_is_refused_on_the_invitation_page_and_nothing_is_stored()
    {
        var (owner, _, _) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited);

        var response = await DashboardClient.For(app).SignUpByInvitationAsync(link, "short");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Use at least 10 characters.", await response.Content.ReadAsStringAsync());
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<User>().AnyAsync(u => u.Email == invited));
        Assert.Equal(HttpStatusCode.OK, (await DashboardClient.For(app).Http.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task An_existing_user_is_sent_to_log_in_comes_back_and_joins()
    {
        var (owner, _, org) = await app.OwnerAsync("Hooli");
        var invitee = DashboardClient.For(app);
        var invited = await invitee.SignUpNewAsync("Pied Piper");
        await invitee.Http.PostAsync("/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", await invitee.TokenFromAsync("/keys"))]));
        var link = await owner.InviteLinkAsync(invited, "Admin");

        var page = await invitee.Http.GetStringAsync(link);
        Assert.Contains("Log in to accept", page);
        Assert.DoesNotContain("Create account and join", page);
        var loginUrl = "/login?ReturnUrl=" + Uri.EscapeDataString(link);
        Assert.Contains($"href=\"{loginUrl.Replace("&", "&amp;")}\"", page);
        var (loginPage, login) = await invitee.LogInAtAsync(loginUrl, invited);
        // The login page's URL holds the token too.
        Assert.Equal("no-referrer", loginPage.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(link, login.Headers.Location!.OriginalString);

        var joinPage = await invitee.Http.GetStringAsync(link);
        Assert.Contains("Join Hooli</button>", joinPage);
        var join = await invitee.AcceptAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, join.StatusCode);
        Assert.Equal(Role.Admin, (await app.Store.MembershipAsync(org.Org.Id, invited))!.Role);
        Assert.Equal(2, (await app.Store.MembershipsOfAsync(invited)).Count);
        // The session is now in the new org.
        Assert.Contains("<title>Settings · Hooli · Nexus</title>", await invitee.Http.GetStringAsync("/settings"));
    }

    [Fact]
    public async Task Signed_in_with_another_email_the_page_says_so_and_joining_is_refused()
    {
        var (owner, _, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited);
        var someoneElse = DashboardClient.For(app);
        var otherEmail = await someoneElse.SignUpNewAsync("Elsewhere");

        var page = await someoneElse.Http.GetStringAsync(link);
        var join = await someoneElse.AcceptAsync(link);
        var signup = await someoneElse.PostFormAsync("/invitations/signup", [new("token", TeamSteps.TokenOf(link)), new("password", DashboardClient.Password)],
            await someoneElse.TokenFromAsync("/settings"));

        Assert.Matches($"You are signed in as <strong[^>]*>{Regex.Escape(otherEmail)}</strong>, but this invitation is for <strong[^>]*>{Regex.Escape(invited)}</strong>", page);
        Assert.Contains("Sign out</button>", page);
        Assert.Equal(HttpStatusCode.Forbidden, join.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, signup.StatusCode);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, otherEmail));
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<User>().AnyAsync(u => u.Email == invited));
        // Signing out from there comes back to the invitation.
        var logout = await someoneElse.PostFormAsync("/logout", [new("return_url", link)], await someoneElse.TokenFromAsync(link));
        Assert.Equal(link, logout.Headers.Location!.OriginalString);
        Assert.Contains("Create account and join", await someoneElse.Http.GetStringAsync(link));
    }

    [Fact]
    public async Task Accepting_needs_a_session_and_the_antiforgery_token()
    {
        var (owner, _, org) = await app.OwnerAsync();
        var invitee = DashboardClient.For(app);
        var invited = await invitee.SignUpNewAsync("Mine");
        var link = await owner.InviteLinkAsync(invited);

        var anonymous = await DashboardClient.For(app).PostFormAsync(link, [], await DashboardClient.For(app).TokenFromAsync("/login"));
        var forged = await invitee.PostFormAsync(link, [], token: null);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, invited));
    }

    [Fact]
    public async Task Joining_after_the_session_ended_logs_in_and_comes_back_to_the_invitation()
    {
        var (owner, _, org) = await app.OwnerAsync("Vandelay");
        var invitee = DashboardClient.For(app);
        var invited = await invitee.SignUpNewAsync("Own Co");
        var link = await owner.InviteLinkAsync(invited, "Viewer");
        // The invitation page is open, with "Join"; meanwhile the session ends (here: logged out in another tab).
        var formToken = await invitee.TokenFromAsync(link);
        await invitee.PostFormAsync("/logout", [], await invitee.TokenFromAsync("/keys"));

        var join = await invitee.PostFormAsync(link, [], formToken);

        Assert.Equal(HttpStatusCode.Redirect, join.StatusCode);
        var loginUrl = join.Headers.Location!.OriginalString;
        Assert.StartsWith("/login?", new Uri(new Uri("http://localhost"), loginUrl).PathAndQuery);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, invited));
        var (loginPage, login) = await invitee.LogInAtAsync(loginUrl, invited);
        Assert.Equal("no-referrer", loginPage.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(link, login.Headers.Location!.OriginalString);
        Assert.Contains("Join Vandelay</button>", await invitee.Http.GetStringAsync(link));
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.AcceptAsync(link)).StatusCode);
        Assert.Equal(Role.Viewer, (await app.Store.MembershipAsync(org.Org.Id, invited))!.Role);
        // The token went into no stored row on the way (audit entries, sessions, lockouts).
        var secret = TeamSteps.TokenOf(link)["nxinv_".Length..];
        Assert.DoesNotContain(await TestDatabase.RowsAsync(app.Schema), r => r.Text.Contains(secret, StringComparison.Ordinal));
    }

    private async Task<int> CountAsync<T>() where T : notnull
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<T>().CountAsync();
    }
}
