using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Dashboard.Team;
using Nexus.Web.Tests.Support;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Account;

public sealed partial class SessionsTests(ClockedApp<SessionsTests> app) : IClassFixture<ClockedApp<SessionsTests>>
{
    private const string MacChrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string IPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task Two_logins_make_two_sessions_and_the_list_shows_both_with_this_one_marked()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.LogInAsync(email, DashboardClient.Password)).StatusCode);

        var sessions = await SessionsOfAsync(email);
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Null(s.EndedAt));

        var page = WebUtility.HtmlDecode(await laptop.Http.GetStringAsync("/account"));
        Assert.Contains("id=\"sessions-title\">Sessions<", page);
        var rows = SessionRows(page);
        Assert.Equal(2, rows.Count);
        // The newest activity first: this request is the newest.
        Assert.Contains("Chrome on macOS", rows[0]);
        Assert.Contains("This session", rows[0]);
        Assert.DoesNotContain("/revoke", rows[0]);
        Assert.Contains("Safari on iOS", rows[1]);
        Assert.DoesNotContain("This session", rows[1]);
        Assert.Contains("Sign out all other sessions", page);
        Assert.Contains("Safari on iOS", WebUtility.HtmlDecode(await phone.Http.GetStringAsync("/account")));
        // The panel is also a fragment of its own, for htmx.
        var fragment = await laptop.HtmxGetAsync("/account/sessions");
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        var fragmentHtml = await fragment.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", fragmentHtml);
        Assert.Equal(2, SessionRows(fragmentHtml).Count);
        Assert.Contains("HX-Request", fragment.Headers.Vary);
    }

    [Fact]
    public async Task Logging_out_in_one_session_leaves_the_other_signed_in()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        var phoneCookie = SessionCookieOf(await phone.LogInAsync(email, DashboardClient.Password));

        await phone.LogOutAsync();

        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        AssertSentToLogin(await phone.Http.GetAsync("/keys"));
        // A copy of the phone's cookie, replayed, is refused by the server, not only forgotten by the phone.
        AssertSentToLogin(await WithCookieAsync(phoneCookie));
        var sessions = await SessionsOfAsync(email);
        Assert.Single(sessions, s => s.EndedAt is null);
        Assert.Single(sessions, s => s.EndedAt == app.Clock.GetUtcNow());
        Assert.Single(SessionRows(await laptop.Http.GetStringAsync("/account")));
    }

    [Fact]
    public async Task Signing_out_another_session_sends_its_next_request_to_the_login_page()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        await phone.LogInAsync(email, DashboardClient.Password);
        var phoneId = OtherSessionIds(await laptop.Http.GetStringAsync("/account")).Single();
        var phoneIp = (await SessionsOfAsync(email)).Single(s => s.Id == phoneId).Ip;

        var revoked = await laptop.HtmxPostAsync($"/account/sessions/{phoneId}/revoke", [], await laptop.TokenFromAsync("/account"));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var panel = WebUtility.HtmlDecode(await revoked.Content.ReadAsStringAsync());
        Assert.Contains("Signed out Safari on iOS.", panel);
        Assert.Single(SessionRows(panel));
        AssertSentToLogin(await phone.Http.GetAsync("/keys"));
        var htmx = await phone.HtmxGetAsync("/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, htmx.StatusCode);
        Assert.Equal("/login", htmx.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        var audit = await AuditAsync(email);
        Assert.Equal(2, audit.Count); // one per mode
        var described = phoneIp is null ? "Safari on iOS" : $"Safari on iOS, {phoneIp}";
        Assert.All(audit, a => Assert.Equal(new AuditChange("session", described, "signed out"), Assert.Single(a.Changes)));
        // Ended is ended: a second try finds nothing to sign out.
        Assert.Equal(HttpStatusCode.NotFound, (await laptop.HtmxPostAsync($"/account/sessions/{phoneId}/revoke", [], await laptop.TokenFromAsync("/account"))).StatusCode);
    }

    [Fact]
    public async Task Sign_out_all_other_sessions_keeps_this_one_and_audits_the_count_once()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var others = new[] { Client(IPhoneSafari), Client("curl/8.5.0"), Client(IPhoneSafari) };
        foreach (var other in others) await other.LogInAsync(email, DashboardClient.Password);

        var response = await laptop.HtmxPostAsync("/account/sessions/revoke-others", [], await laptop.TokenFromAsync("/account"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var panel = await response.Content.ReadAsStringAsync();
        Assert.Contains("Signed out 3 other sessions.", panel);
        Assert.DoesNotContain("Sign out all other sessions", panel);
        foreach (var other in others) AssertSentToLogin(await other.Http.GetAsync("/keys"));
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        var audit = await AuditAsync(email);
        Assert.Equal(2, audit.Count); // one entry (per mode) for all three
        Assert.All(audit, a => Assert.Equal(new AuditChange("other_sessions", "3", "signed out"), Assert.Single(a.Changes)));

        var again = await laptop.HtmxPostAsync("/account/sessions/revoke-others", [], await laptop.TokenFromAsync("/account"));
        Assert.Contains("There were no other sessions.", await again.Content.ReadAsStringAsync());
        Assert.Equal(2, (await AuditAsync(email)).Count);
    }

    [Fact]
    public async Task Someone_elses_session_cannot_be_signed_out()
    {
        var victim = Client(MacChrome);
        var victimEmail = await victim.SignUpNewAsync();
        var attacker = Client(IPhoneSafari);
        var attackerEmail = await attacker.SignUpNewAsync();
        var victimId = (await SessionsOfAsync(victimEmail)).Single().Id;

        var one = await attacker.HtmxPostAsync($"/account/sessions/{victimId}/revoke", [], await attacker.TokenFromAsync("/account"));
        var all = await attacker.HtmxPostAsync("/account/sessions/revoke-others", [], await attacker.TokenFromAsync("/account"));

        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Null((await SessionsOfAsync(victimEmail)).Single().EndedAt);
        Assert.Equal(HttpStatusCode.OK, (await victim.Http.GetAsync("/keys")).StatusCode);
        Assert.Empty(await AuditAsync(victimEmail));
        Assert.Empty(await AuditAsync(attackerEmail));
        Assert.DoesNotContain(victimId, await attacker.Http.GetStringAsync("/account"));
    }

    [Fact]
    public async Task Bad_ids_and_a_missing_antiforgery_token_get_a_clear_4xx_and_change_nothing()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        await phone.LogInAsync(email, DashboardClient.Password);
        var sessions = await SessionsOfAsync(email);
        var phoneId = OtherSessionIds(await laptop.Http.GetStringAsync("/account")).Single();
        var thisId = sessions.Single(s => s.Id != phoneId).Id;
        var token = await laptop.TokenFromAsync("/account");

        foreach (var bad in new[] { "abc", new string('z', 64), phoneId.ToUpperInvariant(), new string('a', 64), phoneId + "0", "%2E%2E", thisId })
        {
            var response = await laptop.HtmxPostAsync($"/account/sessions/{bad}/revoke", [], token);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{bad}: {response.StatusCode}");
        }
        var forgedOne = await laptop.PostFormAsync($"/account/sessions/{phoneId}/revoke", [], token: null);
        var forgedAll = new HttpRequestMessage(HttpMethod.Post, "/account/sessions/revoke-others");
        forgedAll.Headers.Add("HX-Request", "true");
        var forgedAllResponse = await laptop.Http.SendAsync(forgedAll);

        Assert.Equal(HttpStatusCode.BadRequest, forgedOne.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedAllResponse.StatusCode);
        Assert.Contains("This form has expired", await forgedAllResponse.Content.ReadAsStringAsync());
        Assert.All(await SessionsOfAsync(email), s => Assert.Null(s.EndedAt));
        Assert.Equal(HttpStatusCode.OK, (await phone.Http.GetAsync("/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        Assert.Empty(await AuditAsync(email));
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        await phone.LogInAsync(email, DashboardClient.Password);
        var phoneId = OtherSessionIds(await laptop.Http.GetStringAsync("/account")).Single();

        var change = await laptop.PostAccountAsync("/account/password", ("current_password", DashboardClient.Password), ("new_password", "a different long passphrase"));

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        AssertSentToLogin(await phone.Http.GetAsync("/keys"));
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        var sessions = await SessionsOfAsync(email);
        Assert.NotNull(sessions.Single(s => s.Id == phoneId).EndedAt);
        // The same session goes on with a fresh cookie (the new stamp), not a new one.
        var kept = sessions.Single(s => s.Id != phoneId);
        Assert.Null(kept.EndedAt);
        Assert.Equal(kept.Id, SessionTokens.Hash(TokenIn(SessionCookieOf(change))));
    }

    [Fact]
    public async Task Turning_two_factor_off_keeps_this_session()
    {
        var client = Client(MacChrome);
        var email = await client.SignUpNewAsync();
        var (secret, _) = await client.EnableTwoFactorAsync(app.Clock);

        var off = await client.PostAccountAsync("/account/2fa/disable", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/account")).StatusCode);
        Assert.Null((await SessionsOfAsync(email)).Single().EndedAt);
    }

    [Fact]
    public async Task Switching_org_and_accepting_an_invitation_keep_the_same_session()
    {
        var (owner, _, org) = await app.OwnerAsync("First Org");
        var (secondOwner, _, _) = await app.OwnerAsync("Second Org");
        var member = Client(MacChrome);
        var email = DashboardClient.NewEmail();
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignUpByInvitationAsync(await owner.InviteLinkAsync(email))).StatusCode);
        var id = (await SessionsOfAsync(email)).Single().Id;

        Assert.Equal(HttpStatusCode.Redirect, (await member.AcceptAsync(await secondOwner.InviteLinkAsync(email))).StatusCode);
        var switched = await member.PostFormAsync("/orgs/switch", [new("org_id", org.Org.Id)], await member.TokenFromAsync("/keys"));

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync("/keys")).StatusCode);
        var sessions = await SessionsOfAsync(email);
        Assert.Equal(id, Assert.Single(sessions).Id);
        Assert.Null(sessions[0].EndedAt);
        Assert.Equal(id, SessionTokens.Hash(TokenIn(SessionCookieOf(switched))));
    }

    [Fact]
    public async Task Leaving_the_last_org_ends_the_session()
    {
        var (owner, _, _) = await app.OwnerAsync("Only Org");
        var member = Client(MacChrome);
        var email = DashboardClient.NewEmail();
        await member.SignUpByInvitationAsync(await owner.InviteLinkAsync(email));

        var left = await member.LeaveAsync();

        Assert.Equal("/login", left.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal(app.Clock.GetUtcNow(), (await SessionsOfAsync(email)).Single().EndedAt);
    }

    [Fact]
    public async Task Last_seen_is_written_at_most_once_a_minute()
    {
        var client = Client(MacChrome);
        var email = await client.SignUpNewAsync();
        var signedIn = (await SessionsOfAsync(email)).Single().LastSeenAt;

        for (var i = 0; i < 5; i++) await client.Http.GetAsync("/keys");
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        await client.Http.GetAsync("/keys");
        Assert.Equal(signedIn, (await SessionsOfAsync(email)).Single().LastSeenAt);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await client.Http.GetAsync("/keys");
        var seen = app.Clock.GetUtcNow();
        Assert.Equal(seen, (await SessionsOfAsync(email)).Single().LastSeenAt);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++) await client.Http.GetAsync("/keys");
        Assert.Equal(seen, (await SessionsOfAsync(email)).Single().LastSeenAt);
    }

    [Fact]
    public async Task A_cookie_without_a_session_claim_is_refused()
    {
        var client = Client(MacChrome);
        var email = await client.SignUpNewAsync();
        var session = (await SessionsOfAsync(email)).Single();
        var user = await app.Store.UserAsync(email);
        var org = await app.Store.OrgOfAsync(app.Services, email);
        // A cookie as Nexus issued them before sessions were recorded: user, org and stamp, validly sealed.
        var before = Mint(new Claim(DashboardMember.UserClaim, user.Id), new Claim(DashboardMember.OrgClaim, org.Org.Id),
            new Claim(DashboardMember.StampClaim, user.SecurityStamp), new Claim(ClaimTypes.Name, email));
        // The same with another user's session (the victim's own session id cannot be had: only its hash is stored).
        var otherToken = TokenIn(await SignUpCookieAsync());

        AssertSentToLogin(await WithCookieAsync(before));
        AssertSentToLogin(await WithCookieAsync(Mint(new Claim(DashboardMember.UserClaim, user.Id), new Claim(DashboardMember.OrgClaim, org.Org.Id),
            new Claim(DashboardMember.StampClaim, user.SecurityStamp), new Claim(DashboardSessions.TokenClaim, otherToken))));
        AssertSentToLogin(await WithCookieAsync(Mint(new Claim(DashboardMember.UserClaim, user.Id), new Claim(DashboardMember.OrgClaim, org.Org.Id),
            new Claim(DashboardMember.StampClaim, user.SecurityStamp), new Claim(DashboardSessions.TokenClaim, session.Id))));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/keys")).StatusCode);
    }

    [Fact]
    public async Task Only_the_hash_of_the_token_is_stored_shown_or_logged()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var laptop = DashboardClient.For(host);
        var signup = await laptop.SignUpAsync(DashboardClient.NewEmail());
        var token = TokenIn(SessionCookieOf(signup));
        var phone = DashboardClient.For(host);
        var email = (await SessionsUserEmailAsync(token))!;
        var login = await phone.LogInAsync(email, DashboardClient.Password);
        var phoneToken = TokenIn(SessionCookieOf(login));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var page = await laptop.Http.GetStringAsync("/account");
        await laptop.HtmxPostAsync($"/account/sessions/{SessionTokens.Hash(phoneToken)}/revoke", [], await laptop.TokenFromAsync("/account"));

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token); // 256 bits
        var ids = (await SessionsOfAsync(email)).Select(s => s.Id).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { SessionTokens.Hash(token), SessionTokens.Hash(phoneToken) }.Order(StringComparer.Ordinal), ids);
        foreach (var secret in new[] { token, phoneToken })
        {
            Assert.Equal(0, await RowsContainingAsync(secret));
            Assert.DoesNotContain(secret, page);
            Assert.DoesNotContain(logs.Entries, e => e.Contains(secret, StringComparison.Ordinal));
        }
        // Not even the hash of the current session is on its page (it needs no button).
        Assert.DoesNotContain(SessionTokens.Hash(token), page);
        Assert.True(await RowsContainingAsync(SessionTokens.Hash(token)) >= 1);
    }

    [Fact]
    public async Task A_session_unseen_for_longer_than_the_cookie_lives_is_not_listed_and_not_accepted()
    {
        var laptop = Client(MacChrome);
        var email = await laptop.SignUpNewAsync();
        var phone = Client(IPhoneSafari);
        var phoneCookie = SessionCookieOf(await phone.LogInAsync(email, DashboardClient.Password));

        // The laptop stays in use; the phone is put away.
        for (var day = 0; day < 8; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/keys")).StatusCode);
        }

        Assert.Single(SessionRows(await laptop.Http.GetStringAsync("/account")));
        AssertSentToLogin(await WithCookieAsync(phoneCookie));
    }

    private DashboardClient Client(string userAgent)
    {
        var client = DashboardClient.For(app);
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    private async Task<List<UserSession>> SessionsOfAsync(string email)
    {
        var user = await app.Store.UserAsync(email);
        await using var session = app.Store.QuerySession();
        return (await session.Query<UserSession>().Where(s => s.UserId == user.Id).ToListAsync()).ToList();
    }

    private async Task<string?> SessionsUserEmailAsync(string token)
    {
        await using var session = app.Store.QuerySession();
        var found = await session.LoadAsync<UserSession>(SessionTokens.Hash(token));
        return found is null ? null : (await session.LoadAsync<User>(found.UserId))?.Email;
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string email)
    {
        var org = await app.Store.OrgOfAsync(app.Services, email);
        return await app.Store.AuditOfAsync(org.Org.Id, AuditActions.SessionRevoked);
    }

    /// <summary>How many rows of any table in the app's schema contain <paramref name="text"/> anywhere.</summary>
    private async Task<int> RowsContainingAsync(string text)
    {
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var tables = new List<string>();
        await using (var list = db.CreateCommand("select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE'"))
        {
            list.Parameters.AddWithValue("schema", app.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        Assert.Contains("mt_doc_usersession", tables);
        var total = 0;
        foreach (var table in tables)
        {
            await using var count = db.CreateCommand($"select count(*) from \"{app.Schema}\".\"{table}\" t where strpos(t::text, @text) > 0");
            count.Parameters.AddWithValue("text", text);
            total += (int)(long)(await count.ExecuteScalarAsync())!;
        }
        return total;
    }

    private CookieAuthenticationOptions CookieOptions =>
        app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(DashboardAuth.Scheme);

    /// <summary>The token a session cookie carries, read as the server reads it.</summary>
    private string TokenIn(string cookie)
    {
        var ticket = CookieOptions.TicketDataFormat.Unprotect(cookie);
        Assert.NotNull(ticket);
        return ticket.Principal.FindFirstValue(DashboardSessions.TokenClaim)!;
    }

    private string Mint(params Claim[] claims)
    {
        var now = app.Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, DashboardAuth.Scheme)),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddDays(7) }, DashboardAuth.Scheme);
        return CookieOptions.TicketDataFormat.Protect(ticket);
    }

    private async Task<string> SignUpCookieAsync() => SessionCookieOf(await DashboardClient.For(app).SignUpAsync(DashboardClient.NewEmail()));

    private async Task<HttpResponseMessage> WithCookieAsync(string cookie)
    {
        var bare = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/keys");
        request.Headers.Add("Cookie", "nexus_session=" + cookie);
        return await bare.SendAsync(request);
    }

    private static string SessionCookieOf(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("nexus_session=") && !c.StartsWith("nexus_session=;")).Split(';')[0]["nexus_session=".Length..];

    private static List<string> SessionRows(string html) =>
        SessionRow().Matches(html.ReplaceLineEndings(" ")).Select(m => m.Value).ToList();

    private static List<string> OtherSessionIds(string html) =>
        RevokeButton().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("""<li [^>]*data-session="(?:current|other)".*?</li>""")]
    private static partial Regex SessionRow();

    [GeneratedRegex("""hx-post="/account/sessions/([0-9a-f]{64})/revoke" """)]
    private static partial Regex RevokeButton();
}
