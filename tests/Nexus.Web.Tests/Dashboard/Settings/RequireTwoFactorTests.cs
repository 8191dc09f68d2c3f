using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard.Account;
using Nexus.Web.Tests.Dashboard.Team;
using Npgsql;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class RequireTwoFactorTests(ClockedApp<RequireTwoFactorTests> app) : IClassFixture<ClockedApp<RequireTwoFactorTests>>
{
    private const string Notice = "Strict Co requires two-factor authentication. Set it up to continue.";

    private sealed record Team(DashboardClient Owner, string OwnerEmail, string OrgId, DashboardClient Member, string MemberEmail);

    /// <summary>An owner with two-factor on, a Developer without it who joined by invitation, and the requirement on when <paramref name="require"/>.</summary>
    private async Task<Team> TeamAsync(bool require = true, string role = "Developer")
    {
        var owner = DashboardClient.For(app);
        var ownerEmail = await owner.SignUpNewAsync("Strict Co");
        await owner.EnableTwoFactorAsync(app.Clock);
        var orgId = (await app.Store.OrgOfAsync(app.Services, ownerEmail)).Org.Id;
        var memberEmail = DashboardClient.NewEmail();
        var member = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignUpByInvitationAsync(await owner.InviteLinkAsync(memberEmail, role))).StatusCode);
        if (require) Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(owner, "on")).StatusCode);
        return new Team(owner, ownerEmail, orgId, member, memberEmail);
    }

    private static async Task<HttpResponseMessage> RequireAsync(DashboardClient client, string value) =>
        await client.PostFormAsync("/settings/two-factor", [new("required", value)], await client.TokenFromAsync("/settings"));

    [Fact]
    public async Task An_owner_with_two_factor_requires_it_and_stops_requiring_it_and_each_change_is_audited_in_both_modes()
    {
        var team = await TeamAsync(require: false);

        var on = await RequireAsync(team.Owner, "on");

        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.True((await app.Store.LoadOrgAsync(team.OrgId)).RequireTwoFactor);
        Assert.Contains("Every member needs two-factor authentication.", await team.Owner.Http.GetStringAsync("/settings"));
        var required = await app.Store.AuditOfAsync(team.OrgId, AuditActions.OrgTwoFactorRequired);
        Assert.Equal(2, required.Count); // one per mode
        Assert.All(required, e => Assert.Equal((team.OwnerEmail, "require_two_factor", "off", "on"),
            (e.ActorLabel, e.Changes.Single().Field, e.Changes.Single().Before, e.Changes.Single().After)));
        Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(team.Owner, "on")).StatusCode);
        Assert.Equal(2, (await app.Store.AuditOfAsync(team.OrgId, AuditActions.OrgTwoFactorRequired)).Count); // no change, no entry

        Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(team.Owner, "off")).StatusCode);

        Assert.False((await app.Store.LoadOrgAsync(team.OrgId)).RequireTwoFactor);
        var notRequired = await app.Store.AuditOfAsync(team.OrgId, AuditActions.OrgTwoFactorNotRequired);
        Assert.Equal(2, notRequired.Count);
        Assert.All(notRequired, e => Assert.Equal(("on", "off"), (e.Changes.Single().Before, e.Changes.Single().After)));
        Assert.Equal(HttpStatusCode.OK, (await team.Member.Http.GetAsync("/keys")).StatusCode);
    }

    [Theory]
    [InlineData(Role.Admin)]
    [InlineData(Role.Developer)]
    [InlineData(Role.Viewer)]
    public async Task Only_owners_can_change_the_requirement(Role role)
    {
        var owner = DashboardClient.For(app);
        var email = await owner.SignUpNewAsync("Strict Co");
        await owner.EnableTwoFactorAsync(app.Clock);
        var orgId = (await app.Store.OrgOfAsync(app.Services, email)).Org.Id;
        await app.Store.SetRoleAsync(email, role);

        var settings = await owner.Http.GetStringAsync("/settings");
        Assert.Contains("Only Owners can change whether two-factor authentication is required.", settings);
        Assert.Matches("""<button type="submit" class="btn" id="require-two-factor-toggle" disabled="disabled">""", settings);

        var response = await RequireAsync(owner, "on");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Only Owners can change whether two-factor authentication is required.", await response.Content.ReadAsStringAsync());
        Assert.False((await app.Store.LoadOrgAsync(orgId)).RequireTwoFactor);
        Assert.Empty(await app.Store.AuditOfAsync(orgId, AuditActions.OrgTwoFactorRequired));
    }

    [Fact]
    public async Task An_owner_without_two_factor_is_told_to_turn_it_on_first_and_cannot_require_it()
    {
        var (owner, _, org) = await app.OwnerAsync("Strict Co");

        var settings = await owner.Http.GetStringAsync("/settings");
        Assert.Contains("""Turn on two-factor authentication for your own account first, on your <a href="/account#two-factor" class="font-medium underline underline-offset-2">Account page</a>.""", settings);
        Assert.Contains("""id="require-two-factor-toggle" disabled="disabled">Require two-factor authentication""", settings);

        var response = await RequireAsync(owner, "on");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(TeamRules.RequireTwoFactorOwnFirst, await response.Content.ReadAsStringAsync());
        Assert.False((await app.Store.LoadOrgAsync(org.Org.Id)).RequireTwoFactor);
        Assert.Empty(await app.Store.AuditOfAsync(org.Org.Id, AuditActions.OrgTwoFactorRequired));
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/keys")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("onn")]
    public async Task Malformed_or_missing_input_is_refused_clearly_and_stores_nothing(string? value)
    {
        var owner = DashboardClient.For(app);
        var email = await owner.SignUpNewAsync("Strict Co");
        await owner.EnableTwoFactorAsync(app.Clock);
        var orgId = (await app.Store.OrgOfAsync(app.Services, email)).Org.Id;

        var response = await owner.PostFormAsync("/settings/two-factor", value is null ? [] : [new("required", value)], await owner.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Choose on or off.", await response.Content.ReadAsStringAsync());
        Assert.False((await app.Store.LoadOrgAsync(orgId)).RequireTwoFactor);
        Assert.Empty(await app.Store.AuditOfAsync(orgId, AuditActions.OrgTwoFactorRequired));
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_changes()
    {
        var owner = DashboardClient.For(app);
        var email = await owner.SignUpNewAsync("Strict Co");
        await owner.EnableTwoFactorAsync(app.Clock);
        var orgId = (await app.Store.OrgOfAsync(app.Services, email)).Org.Id;

        var plain = await owner.PostFormAsync("/settings/two-factor", [new("required", "on")], token: null);
        var htmx = await owner.HtmxPostAsync("/settings/two-factor", [new("required", "on")], "not-a-token");

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("This form has expired", await plain.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, htmx.StatusCode);
        Assert.False((await app.Store.LoadOrgAsync(orgId)).RequireTwoFactor);
        Assert.Empty(await app.Store.AuditOfAsync(orgId, AuditActions.OrgTwoFactorRequired));
    }

    [Fact]
    public async Task A_member_without_two_factor_is_sent_to_the_account_page_from_every_kind_of_dashboard_route()
    {
        var team = await TeamAsync();
        var token = await team.Member.TokenFromAsync("/account");

        foreach (var path in new[] { "/keys", "/keys/new", "/webhooks", "/logs", "/usage", "/audit", "/settings", "/settings?mode=live" })
        {
            var page = await team.Member.Http.GetAsync(path);
            Assert.True(page.StatusCode == HttpStatusCode.Redirect, $"{path}: {page.StatusCode}");
            Assert.Equal("/account", page.Headers.Location?.OriginalString);
        }
        foreach (var fragment in new[] { "/keys/table", "/settings/members", "/workers/status", "/webhooks/deliveries" })
        {
            var response = await team.Member.HtmxGetAsync(fragment);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{fragment}: {response.StatusCode}");
            Assert.Equal("/account", response.Headers.GetValues("HX-Redirect").Single());
        }
        var created = await team.Member.HtmxPostAsync("/keys", [new("name", "sneaky"), new("kind", "secret"), new("mode", "test")], token);
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Equal("/account", created.Headers.GetValues("HX-Redirect").Single());
        Assert.Empty(await app.Store.KeysOfAsync(team.OrgId));
        var leave = await team.Member.PostFormAsync("/settings/leave", [], token);
        Assert.Equal(HttpStatusCode.Redirect, leave.StatusCode);
        Assert.Equal("/account", leave.Headers.Location?.OriginalString);
        Assert.NotNull(await app.Store.MembershipAsync(team.OrgId, team.MemberEmail));

        // Public pages stay public.
        Assert.Equal(HttpStatusCode.OK, (await team.Member.Http.GetAsync("/docs/errors")).StatusCode);

        var account = await team.Member.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        var html = WebUtility.HtmlDecode(await account.Content.ReadAsStringAsync());
        Assert.Contains(Notice, html);
        Assert.Contains("Set up two-factor authentication", html);
        Assert.DoesNotContain("hx-get=\"/workers/status\"", html); // a poller the gate would only bounce
        // The owner, who has two-factor on, is not held.
        Assert.Equal(HttpStatusCode.OK, (await team.Owner.Http.GetAsync("/keys")).StatusCode);
        Assert.DoesNotContain(Notice, WebUtility.HtmlDecode(await team.Owner.Http.GetStringAsync("/account")));
    }

    [Fact]
    public async Task A_held_member_can_change_the_password_switch_to_another_org_and_log_out()
    {
        var team = await TeamAsync(require: false);
        // The member also belongs to an org of their own, which requires nothing.
        var ownOrg = await CreateOwnOrgAsync(team.MemberEmail);
        Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(team.Owner, "on")).StatusCode);

        var password = await team.Member.PostAccountAsync("/account/password", ("current_password", DashboardClient.Password), ("new_password", "a different long passphrase"));
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Equal("/account?done=password", password.Headers.Location?.OriginalString);
        Assert.Contains("Password changed.", await team.Member.Http.GetStringAsync("/account?done=password"));

        var switched = await team.Member.PostFormAsync("/orgs/switch", [new("org_id", ownOrg)], await team.Member.TokenFromAsync("/account"));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await team.Member.Http.GetAsync("/keys")).StatusCode);

        var back = await team.Member.PostFormAsync("/orgs/switch", [new("org_id", team.OrgId)], await team.Member.TokenFromAsync("/keys"));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/account", (await team.Member.Http.GetAsync("/keys")).Headers.Location?.OriginalString);

        var logout = await team.Member.PostFormAsync("/logout", [], await team.Member.TokenFromAsync("/account"));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.StartsWith("/login", (await team.Member.Http.GetAsync("/account")).Headers.Location?.PathAndQuery);
    }

    /// <summary>Gives the user a second org, where they are the Owner, and returns its id.</summary>
    private async Task<string> CreateOwnOrgAsync(string email)
    {
        var other = await app.CreateOrgAsync("Own Co");
        await using var session = app.Store.LightweightSession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        session.Store(new Membership { Id = Nexus.Shared.Common.Ids.New("mem"), OrgId = other.Org.Id, UserId = user.Id, Role = Role.Owner, CreatedAt = DateTimeOffset.UtcNow });
        await session.SaveChangesAsync();
        return other.Org.Id;
    }

    [Fact]
    public async Task After_setting_up_two_factor_the_member_gets_in()
    {
        var team = await TeamAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await team.Member.Http.GetAsync("/keys")).StatusCode);

        await team.Member.EnableTwoFactorAsync(app.Clock);

        Assert.Equal(HttpStatusCode.OK, (await team.Member.Http.GetAsync("/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await team.Member.HtmxGetAsync("/keys/table")).StatusCode);
        Assert.DoesNotContain(Notice, WebUtility.HtmlDecode(await team.Member.Http.GetStringAsync("/account")));
    }

    [Fact]
    public async Task The_page_that_turns_two_factor_on_is_no_longer_held_and_polls_the_worker_badge()
    {
        var team = await TeamAsync();
        var secret = await team.Member.StartEnrolmentAsync();

        var enable = await team.Member.PostAccountAsync("/account/2fa/enable", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var html = WebUtility.HtmlDecode(await enable.Content.ReadAsStringAsync());
        Assert.Contains("Two-factor authentication is on. Save your recovery codes now.", html);
        Assert.Contains("hx-get=\"/workers/status\"", html);
        Assert.DoesNotContain(Notice, html);
        Assert.Equal(HttpStatusCode.OK, (await team.Member.HtmxGetAsync("/workers/status")).StatusCode);
    }

    [Fact]
    public async Task The_orgs_api_keys_keep_working_while_two_factor_is_required()
    {
        var team = await TeamAsync();
        var org = await app.Store.OrgOfAsync(app.Services, team.OwnerEmail);
        var api = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await api.GetAsync("/api/v1/notes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Two_factor_cannot_be_turned_off_while_an_org_requires_it()
    {
        var team = await TeamAsync();
        var (secret, _) = await team.Member.EnableTwoFactorAsync(app.Clock);
        var before = await app.Store.UserAsync(team.MemberEmail);

        var page = WebUtility.HtmlDecode(await team.Member.Http.GetStringAsync("/account"));
        Assert.Contains("You cannot turn it off while Strict Co requires it.", page);
        Assert.DoesNotContain("id=\"disable-form\"", page);

        var disable = await team.Member.PostAccountAsync("/account/2fa/disable", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Contains("You cannot turn it off while Strict Co requires it.", WebUtility.HtmlDecode(await disable.Content.ReadAsStringAsync()));
        var after = await app.Store.UserAsync(team.MemberEmail);
        Assert.True(after.TwoFactorEnabled);
        Assert.Equal(before.TotpLastStep, after.TotpLastStep); // the code was not spent
        Assert.Empty(await app.Store.AuditOfAsync(team.OrgId, AuditActions.TwoFactorDisabled));

        // Once no org requires it, it can be turned off.
        Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(team.Owner, "off")).StatusCode);
        Assert.Contains("id=\"disable-form\"", await team.Member.Http.GetStringAsync("/account"));
        Assert.Equal(HttpStatusCode.Redirect, (await team.Member.PostAccountAsync("/account/2fa/disable", ("code", CodeAt(secret, app.Clock)))).StatusCode);
        Assert.False((await app.Store.UserAsync(team.MemberEmail)).TwoFactorEnabled);
    }

    [Fact]
    public async Task A_member_turning_two_factor_off_as_the_owner_requires_it_is_never_let_through_after_the_requirement()
    {
        var team = await TeamAsync(require: false);
        var (secret, _) = await team.Member.EnableTwoFactorAsync(app.Clock);
        var (memberToken, ownerToken) = (await team.Member.TokenFromAsync("/account"), await team.Owner.TokenFromAsync("/settings"));

        for (var round = 0; round < 30; round++)
        {
            var disable = team.Member.PostFormAsync("/account/2fa/disable", [new("code", CodeAt(secret, app.Clock))], memberToken);
            var require = team.Owner.PostFormAsync("/settings/two-factor", [new("required", "on")], ownerToken);
            var (disabled, required) = (await disable, await require);

            Assert.Equal(HttpStatusCode.Redirect, required.StatusCode);
            var order = await CommitOrderAsync(team);
            Assert.True(order.Required, $"round {round}: the requirement was not stored");
            if (disabled.StatusCode == HttpStatusCode.Redirect)
            {
                // Allowed only because it came first: its write committed before the requirement's.
                Assert.False(order.MemberTwoFactorOn);
                Assert.True(order.UserXid < order.OrgXid, $"round {round}: turned off (xid {order.UserXid}) after the requirement (xid {order.OrgXid})");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, disabled.StatusCode);
                Assert.True(order.MemberTwoFactorOn, $"round {round}: refused, yet two-factor is off");
            }

            Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(team.Owner, "off")).StatusCode);
            // The next code, as a code's time step is accepted once.
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            if (!order.MemberTwoFactorOn) secret = (await team.Member.EnableTwoFactorAsync(app.Clock)).Secret;
        }
    }

    [Fact]
    public async Task An_owner_turning_their_own_two_factor_off_while_requiring_it_never_ends_with_both()
    {
        var owner = DashboardClient.For(app);
        var email = await owner.SignUpNewAsync("Strict Co");
        var (secret, _) = await owner.EnableTwoFactorAsync(app.Clock);
        var orgId = (await app.Store.OrgOfAsync(app.Services, email)).Org.Id;
        var (accountToken, settingsToken) = (await owner.TokenFromAsync("/account"), await owner.TokenFromAsync("/settings"));

        for (var round = 0; round < 20; round++)
        {
            var disable = owner.PostFormAsync("/account/2fa/disable", [new("code", CodeAt(secret, app.Clock))], accountToken);
            var require = owner.PostFormAsync("/settings/two-factor", [new("required", "on")], settingsToken);
            var (disabled, required) = (await disable, await require);

            // One of the two sees the other: the requirement finds the Owner's two-factor off, or the "off" finds it required.
            var (requires, on) = ((await app.Store.LoadOrgAsync(orgId)).RequireTwoFactor, (await app.Store.UserAsync(email)).TwoFactorEnabled);
            Assert.True(on || !requires, $"round {round}: required while the Owner's own two-factor is off");
            Assert.Equal(requires, required.StatusCode == HttpStatusCode.Redirect);
            Assert.Equal(on, disabled.StatusCode != HttpStatusCode.Redirect);

            app.Clock.Advance(TimeSpan.FromSeconds(30));
            if (requires) Assert.Equal(HttpStatusCode.Redirect, (await RequireAsync(owner, "off")).StatusCode);
            if (!on) secret = (await owner.EnableTwoFactorAsync(app.Clock)).Secret;
        }
    }

    /// <summary>
    /// Whether the org requires two-factor and the member has it on, and the transaction ids of the last
    /// writes of the member's user row and of the org's row. Both writers take the org's lock before
    /// writing and hold it to commit, so the smaller id is the one that committed first. (Without the lock,
    /// a disable that found nothing required and then wrote after the requirement has the larger id.)
    /// </summary>
    private async Task<(bool Required, bool MemberTwoFactorOn, long UserXid, long OrgXid)> CommitOrderAsync(Team team)
    {
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = db.CreateCommand($"""
            select (o.data ->> 'RequireTwoFactor')::boolean, u.data ->> 'TotpSecret' is not null, u.xmin::text::bigint, o.xmin::text::bigint
            from "{app.Schema}".mt_doc_user u, "{app.Schema}".mt_doc_organization o
            where u.data ->> 'Email' = @email and o.id = @org
            """);
        cmd.Parameters.AddWithValue("email", team.MemberEmail);
        cmd.Parameters.AddWithValue("org", team.OrgId);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    [Fact]
    public async Task Members_shows_how_many_members_lack_two_factor()
    {
        var team = await TeamAsync(require: false);

        var html = await team.Owner.Http.GetStringAsync("/settings/members");
        Assert.Contains("1 of 2 members have not turned on two-factor authentication.", html);

        await team.Member.EnableTwoFactorAsync(app.Clock);
        Assert.Contains("Every member has two-factor authentication on.", await team.Owner.Http.GetStringAsync("/settings/members"));
    }
}
