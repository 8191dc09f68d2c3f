using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Audit;

public sealed partial class AuditTests(NexusApp<AuditTests> app) : IClassFixture<NexusApp<AuditTests>>
{
    [Fact]
    public async Task The_audit_log_lists_the_orgs_own_key_changes_of_the_mode_shown_newest_first()
    {
        var other = await app.CreateOrgAsync("Other Org");
        await ManagerCreateAsync(other, "their secret project", AuditActor.User(other.Owner.Id, "intruder@example.test", "192.0.2.1", "req_x"));
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        await client.CreateKeyAsync("Alpha", "test");
        await client.CreateKeyAsync("Beta", "live");
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await client.HtmxPostAsync($"/keys/{(await app.Store.KeyNamedAsync(org.Org.Id, "Alpha")).Id}/revoke");

        var page = await client.Http.GetStringAsync("/audit?mode=test");
        var live = await client.Http.GetStringAsync("/audit?mode=live");

        Assert.Contains("""aria-current="page">""", Regex.Match(page, """<a href="/audit"[^>]*>""").Value + ">");
        Assert.Equal(["key.revoked", "key.created"], Actions(page));
        Assert.Matches(new Regex("""key.revoked.*?Alpha.*?key.created.*?Alpha""", RegexOptions.Singleline), page);
        Assert.DoesNotContain("Beta", page);
        Assert.Equal(["key.created"], Actions(live));
        Assert.Contains("Beta", live);
        Assert.DoesNotContain("Alpha", live);
        Assert.Contains(email, page);
        Assert.DoesNotContain("their secret project", page);
        Assert.DoesNotContain("intruder@example.test", page);
        // Expanded: the before/after of the revocation and where it came from.
        // (The "before" of a revocation is KeyManager's to get right; the page shows what was recorded.)
        Assert.Matches(new Regex("""<code>status</code></td>\s*<td>.*?</td>\s*<td>\s*<code class="break-all">revoked</code>""", RegexOptions.Singleline), page);
        Assert.Contains("Request id", page);
    }

    [Fact]
    public async Task Filters_come_back_as_a_fragment_from_the_same_url_and_narrow_the_entries()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        await client.CreateKeyAsync("Gamma");
        await client.HtmxPostAsync($"/keys/{(await app.Store.KeyNamedAsync(org.Org.Id, "Gamma")).Id}/revoke");
        await ManagerCreateAsync(org, "Made by a key", AuditActor.Key("key_automation", "nx_live_AbCdEf", "198.51.100.9", "req_auto"));

        var byAction = await client.HtmxGetAsync("/audit?action=key.revoked");
        var byActor = await client.HtmxGetAsync("/audit?actor=nx_live_abc");
        var nothing = await client.HtmxGetAsync("/audit?action=key.rolled");

        Assert.Contains("HX-Request", byAction.Headers.Vary);
        var revokedOnly = await byAction.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", revokedOnly);
        Assert.Equal(["key.revoked"], Actions(revokedOnly));
        var keyActor = await byActor.Content.ReadAsStringAsync();
        Assert.Equal(["key.created"], Actions(keyActor));
        Assert.Contains("Made by a key", keyActor);
        Assert.Contains("198.51.100.9", keyActor);
        Assert.Contains("No entries match these filters", await nothing.Content.ReadAsStringAsync());

        // The same URL without htmx (a shared link, a reload) is the whole page with the filter kept.
        var full = await client.Http.GetStringAsync("/audit?action=key.revoked");
        Assert.Contains("<html", full);
        Assert.Contains("""<option value="key.revoked" selected="selected">""", full);
        Assert.Equal(["key.revoked"], Actions(full));
        var restore = new HttpRequestMessage(HttpMethod.Get, "/audit?action=key.revoked");
        restore.Headers.Add("HX-Request", "true");
        restore.Headers.Add("HX-History-Restore-Request", "true");
        Assert.Contains("<html", await (await client.Http.SendAsync(restore)).Content.ReadAsStringAsync());
    }

    /// <summary>The range ends at the midnight after its last day, and the calendar's last day has none: it was a 500.</summary>
    [Theory]
    [InlineData("/audit?to=9999-12-31")]
    [InlineData("/audit?from=9999-12-31")]
    public async Task The_last_day_of_the_calendar_is_a_date_it_says_it_cannot_use(string url)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var response = await client.HtmxGetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("aria-invalid=\"true\"", await (await client.Http.GetAsync(url)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_date_range_includes_both_days_in_utc()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        await StoreEntriesAsync(org, new DateTimeOffset(2024, 1, 31, 23, 59, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2024, 2, 10, 23, 59, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 11, 0, 0, 0, TimeSpan.Zero));

        var html = await (await client.HtmxGetAsync("/audit?from=2024-02-01&to=2024-02-10")).Content.ReadAsStringAsync();

        Assert.Equal(["2024-02-10 23:59:00 UTC", "2024-02-01 00:00:00 UTC"], Times(html));
    }

    [Fact]
    public async Task Load_more_pages_through_older_entries_without_repeating_any()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await StoreEntriesAsync(org, Enumerable.Range(0, 30).Select(i => start.AddMinutes(i)).ToArray());

        var first = await client.Http.GetStringAsync("/audit?action=key.updated");
        var more = Regex.Match(first, """hx-get="(/audit\?mode=test&amp;action=key.updated&amp;before=aud_[0-9a-z]+)" """).Groups[1].Value;
        var second = await (await client.HtmxGetAsync(WebUtility.HtmlDecode(more))).Content.ReadAsStringAsync();

        Assert.Equal(25, Ids(first).Count);
        Assert.NotEmpty(more);
        Assert.Equal(5, Ids(second).Count);
        Assert.DoesNotContain("Load more", second);
        Assert.Equal(30, Ids(first).Concat(Ids(second)).Distinct().Count());
        Assert.Equal(start, DateTimeOffset.Parse(Times(second)[^1].Replace(" UTC", "Z"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_new_org_sees_an_empty_log_that_says_what_will_appear()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var page = await client.Http.GetStringAsync("/audit");

        Assert.Contains("No audit entries yet", page);
        Assert.Empty(Actions(page));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task No_route_edits_or_deletes_audit_entries(string method)
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        await client.CreateKeyAsync("Kept");
        await using var before = app.Store.QuerySession();
        var entry = await before.Query<AuditEntry>().SingleAsync(e => e.OrgId == org.Org.Id);
        var token = await client.TokenFromAsync("/audit");

        foreach (var path in new[] { "/audit", $"/audit/{entry.Id}" })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new FormUrlEncodedContent([new("action", "key.deleted")]) };
            request.Headers.Add("HX-Request", "true");
            request.Headers.Add("RequestVerificationToken", token);
            var response = await client.Http.SendAsync(request);
            Assert.False(response.IsSuccessStatusCode, $"{method} {path} answered {response.StatusCode}");
        }

        await using var after = app.Store.QuerySession();
        var still = await after.Query<AuditEntry>().SingleAsync(e => e.OrgId == org.Org.Id);
        Assert.Equal((entry.Id, entry.Action), (still.Id, still.Action));
    }

    private async Task ManagerCreateAsync(TestOrg org, string name, AuditActor actor)
    {
        using var scope = app.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<KeyManager>()
            .CreateAsync(org.Org, new KeySpec(name, KeyKind.Secret, Mode.Test) { Scopes = [KeyScopes.ReadNotes] }, actor, CancellationToken.None);
        Assert.Null(result.Problem);
    }

    /// <summary>Entries at given moments (as if made then), stored directly: the page only reads them.</summary>
    private async Task StoreEntriesAsync(TestOrg org, params DateTimeOffset[] moments)
    {
        await using var session = app.Store.LightweightSession();
        foreach (var at in moments)
        {
            var actor = AuditActor.User(org.Owner.Id, org.Owner.Email, null, null);
            session.Store(AuditEntry.For(org.Org.Id, Mode.Test, actor, AuditActions.KeyUpdated, "api_key", "key_x", "Some key", new TestClock(at)));
        }
        await session.SaveChangesAsync();
    }

    private static List<string> Actions(string html) => [.. ActionAttribute().Matches(html).Select(m => m.Groups[1].Value)];
    private static List<string> Ids(string html) => [.. IdAttribute().Matches(html).Select(m => m.Groups[1].Value)];
    private static List<string> Times(string html) => [.. WhenFact().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("""data-audit-id="[^"]+" data-action="([^"]+)">""" )]
    private static partial Regex ActionAttribute();

    [GeneratedRegex("""data-audit-id="([^"]+)" """)]
    private static partial Regex IdAttribute();

    [GeneratedRegex("""<dt>When</dt><dd>([^<]+)</dd>""")]
    private static partial Regex WhenFact();
}
