using System.Net;
using System.Text.RegularExpressions;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Tests.Api.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Logs;

public sealed partial class LogsTests(NexusApp<LogsTests> app) : IClassFixture<NexusApp<LogsTests>>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task The_page_lists_the_orgs_own_test_requests_newest_first_with_every_field_in_the_detail()
    {
        var other = await app.CreateOrgAsync("Other Org");
        var (_, otherKey) = await other.CreateKeyAsync();
        await other.StoreLogsAsync([UsageData.Log(other, otherKey, Now, 200, route: "/api/v1/their-secret")]);
        var (client, org) = await SignedUpAsync();
        var (_, key) = await org.CreateKeyAsync(name: "Billing sync");
        var (_, liveKey) = await org.CreateKeyAsync(Mode.Live, name: "Production");
        var older = UsageData.Log(org, key, Now.AddMinutes(-5), 200, 2.5);
        var newer = UsageData.Log(org, key, Now.AddMinutes(-1), 404, 12.25, route: "/api/v1/notes/{id}");
        await org.StoreLogsAsync([older, newer, UsageData.Log(org, liveKey, Now, 201, method: "POST", route: "/api/v1/live-only")]);

        var page = await client.Http.GetStringAsync("/logs");

        Assert.Contains("""aria-current="page">""", Regex.Match(page, """<a href="/logs"[^>]*>""").Value + ">");
        Assert.Equal([newer.Id, older.Id], LogIds(page));
        Assert.DoesNotContain("their-secret", page);
        Assert.DoesNotContain("live-only", page);
        var detail = Detail(page, newer.Id);
        Assert.Contains($"""value="{newer.Id}" """, detail);
        Assert.Contains($"""data-copy="#log-id-{newer.Id}">""", detail);
        foreach (var field in new[] { "/api/v1/notes/{id}", newer.Path, "404", "12.25 ms", "203.0.113.7", "usage-test/1.0", "Billing sync", key.Prefix, key.Id, "Test" })
            Assert.Contains(WebUtility.HtmlEncode(field), detail);
        Assert.Contains("""href="/docs/errors/resource_missing" """, detail);
        // The key filter offers this mode's keys only.
        Assert.Contains($"""<option value="{key.Id}">""", page);
        Assert.DoesNotContain(liveKey.Id, page);
    }

    [Fact]
    public async Task The_mode_switch_shows_the_other_modes_requests_and_keys()
    {
        var (client, org) = await SignedUpAsync();
        var (_, testKey) = await org.CreateKeyAsync(Mode.Test);
        var (_, liveKey) = await org.CreateKeyAsync(Mode.Live, name: "Production");
        var test = UsageData.Log(org, testKey, Now, 200);
        var live = UsageData.Log(org, liveKey, Now, 500);
        await org.StoreLogsAsync([test, live]);

        var page = await client.Http.GetStringAsync("/logs?mode=live");

        Assert.Equal([live.Id], LogIds(page));
        Assert.Contains("""<input type="hidden" name="mode" value="live" />""", page);
        Assert.Contains($"""<option value="{liveKey.Id}">""", page);
        Assert.DoesNotContain(testKey.Id, page);
        Assert.Matches("""<nav class="mode-switch" aria-label="Mode" data-mode="live">\s*<a href="/logs\?mode=test" class="segment ".*?<a href="/logs\?mode=live" class="segment segment-current" aria-current="page"\s""", page.ReplaceLineEndings(" "));
    }

    [Theory]
    [InlineData("status=4xx", new[] { 1, 3 })]
    [InlineData("status=5xx", new[] { 2 })]
    [InlineData("method=POST", new[] { 3 })]
    [InlineData("path=/api/v1/keys", new[] { 2 })]
    [InlineData("path=api/v1/keys", new[] { 2 })]
    [InlineData("range=1h", new[] { 0, 1, 2 })]
    [InlineData("status=4xx&range=1h", new[] { 1 })]
    [InlineData("status=9xx&method=BREW", new[] { 0, 1, 2, 3 })] // values the form cannot send are ignored
    public async Task Filters_come_back_as_a_fragment_of_the_same_url(string query, int[] expected)
    {
        var (client, org) = await SignedUpAsync();
        var (_, key) = await org.CreateKeyAsync();
        RequestLog[] logs =
        [
            UsageData.Log(org, key, Now.AddMinutes(-3), 200),
            UsageData.Log(org, key, Now.AddMinutes(-2), 404, route: "/api/v1/notes/{id}"),
            UsageData.Log(org, key, Now.AddMinutes(-1), 500, route: "/api/v1/keys"),
            UsageData.Log(org, key, Now.AddHours(-2), 422, method: "POST"),
        ];
        await org.StoreLogsAsync(logs);

        var response = await client.HtmxGetAsync("/logs?mode=test&" + query);

        Assert.Contains("HX-Request", response.Headers.Vary);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", html);
        Assert.Equal(expected.Select(i => logs[i]).OrderByDescending(l => l.Id, StringComparer.Ordinal).Select(l => l.Id), LogIds(html));
    }

    [Fact]
    public async Task Filters_the_page_does_not_offer_are_named_as_not_applied()
    {
        var (client, _) = await SignedUpAsync();

        var ignored = await (await client.HtmxGetAsync("/logs?mode=test&status=9xx&key=key_nope&method=BREW&range=2y")).Content.ReadAsStringAsync();
        var valid = await (await client.HtmxGetAsync("/logs?mode=test&status=4xx&range=1h")).Content.ReadAsStringAsync();

        Assert.Contains("Not a filter this page offers, so not applied:", ignored);
        Assert.Contains("status “9xx”, key “key_nope”, method “BREW”, range “2y”.", System.Net.WebUtility.HtmlDecode(ignored));
        Assert.DoesNotContain("log-filters-ignored", valid);
    }

    [Fact]
    public async Task The_key_filter_keeps_one_keys_requests_and_the_full_page_keeps_the_filters()
    {
        var (client, org) = await SignedUpAsync();
        var (_, a) = await org.CreateKeyAsync(name: "A");
        var (_, b) = await org.CreateKeyAsync(name: "B");
        var fromB = UsageData.Log(org, b, Now, 404);
        await org.StoreLogsAsync([UsageData.Log(org, a, Now, 404), fromB]);

        var fragment = await (await client.HtmxGetAsync($"/logs?mode=test&key={b.Id}")).Content.ReadAsStringAsync();
        var full = await client.Http.GetStringAsync($"/logs?mode=test&key={b.Id}&status=4xx&path=/api");
        var restore = new HttpRequestMessage(HttpMethod.Get, $"/logs?key={b.Id}");
        restore.Headers.Add("HX-Request", "true");
        restore.Headers.Add("HX-History-Restore-Request", "true");

        Assert.Equal([fromB.Id], LogIds(fragment));
        Assert.Contains("<html", full);
        Assert.Equal([fromB.Id], LogIds(full));
        Assert.Contains($"""<option value="{b.Id}" selected="selected">""", full);
        Assert.Contains("""<option value="4xx" selected="selected">""", full);
        Assert.Contains("""value="/api" """, full);
        Assert.Contains("<html", await (await client.Http.SendAsync(restore)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_orgs_key_filter_shows_nothing_of_theirs()
    {
        var other = await app.CreateOrgAsync("Other Org");
        var (_, otherKey) = await other.CreateKeyAsync();
        await other.StoreLogsAsync([UsageData.Log(other, otherKey, Now, 200)]);
        var (client, _) = await SignedUpAsync();

        var html = await client.Http.GetStringAsync($"/logs?key={otherKey.Id}");

        Assert.Empty(LogIds(html));
        Assert.Contains("No requests match these filters", html);
    }

    [Fact]
    public async Task Load_more_pages_through_older_requests_without_repeating_any()
    {
        var (client, org) = await SignedUpAsync();
        var (_, key) = await org.CreateKeyAsync();
        var logs = Enumerable.Range(0, 60).Select(i => UsageData.Log(org, key, Now.AddSeconds(-i), i % 2 == 0 ? 200 : 404)).ToList();
        await org.StoreLogsAsync(logs);

        var first = await client.Http.GetStringAsync("/logs");
        var more = WebUtility.HtmlDecode(MoreLink().Match(first).Groups[1].Value);
        var second = await (await client.HtmxGetAsync(more)).Content.ReadAsStringAsync();

        Assert.Equal(50, LogIds(first).Count);
        Assert.StartsWith("/logs?mode=test&before=req_", more);
        Assert.Equal(10, LogIds(second).Count);
        Assert.DoesNotContain("Load more", second);
        Assert.DoesNotContain("<html", second);
        Assert.Equal(logs.Select(l => l.Id).OrderDescending(StringComparer.Ordinal), LogIds(first).Concat(LogIds(second)));

        // The cursor keeps the filters.
        var filtered = await client.Http.GetStringAsync("/logs?status=4xx");
        Assert.Empty(MoreLink().Matches(filtered));
        Assert.Equal(30, LogIds(filtered).Count);
    }

    [Fact]
    public async Task Rows_name_their_key_beside_its_prefix_revoked_keys_too_and_a_missing_key_by_its_prefix()
    {
        var (client, org) = await SignedUpAsync();
        var (_, backend) = await org.CreateKeyAsync(name: "Backend server");
        var (_, ci) = await org.CreateKeyAsync(name: "CI runner");
        await using (var session = app.Store.LightweightSession())
        {
            ci.RevokedAt = Now.AddMinutes(-30);
            session.Store(ci);
            await session.SaveChangesAsync();
        }
        // A key whose document is gone: its requests keep only the prefix they were logged with.
        var gone = new Nexus.Shared.Keys.ApiKey { Id = Nexus.Shared.Common.Ids.New("key", new TestClock(Now)), OrgId = org.Org.Id, Mode = Mode.Test, Prefix = "nx_test_GoNe" };
        // 53 requests, so the oldest three come with "Load more", which loads the names of its own rows.
        var logs = Enumerable.Range(0, 50).Select(i => UsageData.Log(org, backend, Now.AddSeconds(-i), 200)).ToList();
        var fromCi = UsageData.Log(org, ci, Now.AddMinutes(-40), 200);
        var fromGone = UsageData.Log(org, gone, Now.AddMinutes(-41), 200);
        var oldest = UsageData.Log(org, backend, Now.AddMinutes(-42), 200);
        await org.StoreLogsAsync([.. logs, fromCi, fromGone, oldest]);

        var first = await client.Http.GetStringAsync("/logs");
        var more = await (await client.HtmxGetAsync(WebUtility.HtmlDecode(MoreLink().Match(first).Groups[1].Value))).Content.ReadAsStringAsync();
        var opened = await client.Http.GetStringAsync($"/logs/{fromCi.Id}");

        Assert.Equal(("Backend server", backend.Prefix + "…"), RowKey(first, logs[0].Id));
        Assert.Equal([fromCi.Id, fromGone.Id, oldest.Id], LogIds(more));
        Assert.Equal(("CI runner", ci.Prefix + "…"), RowKey(more, fromCi.Id));
        Assert.Equal((null, "nx_test_GoNe…"), RowKey(more, fromGone.Id));
        Assert.Equal(("Backend server", backend.Prefix + "…"), RowKey(more, oldest.Id));
        Assert.Equal(("CI runner", ci.Prefix + "…"), RowKey(opened, fromCi.Id));
        Assert.Equal($"CI runner · {ci.Prefix}… {ci.Id}", DetailKey(opened, fromCi.Id));
        Assert.Equal($"nx_test_GoNe… {gone.Id}", DetailKey(more, fromGone.Id));
        // The key filter names the keys too, the revoked one marked.
        Assert.Contains($"""<option value="{ci.Id}">CI runner ({ci.Prefix}…) · revoked</option>""", WebUtility.HtmlDecode(first));
    }

    /// <summary>The text of the Key fact in a log's detail, tags stripped and spaces collapsed.</summary>
    private static string DetailKey(string html, string id)
    {
        var dd = Regex.Match(Detail(html, id), "<dt>Key</dt><dd>(.*?)</dd>", RegexOptions.Singleline).Groups[1].Value;
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(dd, "<[^>]+>", ""), @"\s+", " ").Trim());
    }

    /// <summary>The name and the prefix a log row's summary shows for its key (the name null when there is none).</summary>
    private static (string? Name, string Prefix) RowKey(string html, string id)
    {
        var summary = Detail(html, id);
        summary = summary[..summary.IndexOf("</summary>", StringComparison.Ordinal)];
        var key = Regex.Match(summary, """<span class="log-key"[^>]*data-log-key>(.*?)</span>\s*<span class="log-dur">""", RegexOptions.Singleline).Groups[1].Value;
        var name = Regex.Match(key, """<span class="log-key-name">([^<]*)</span>""");
        return (name.Success ? WebUtility.HtmlDecode(name.Groups[1].Value) : null,
            WebUtility.HtmlDecode(Regex.Match(key, """<code class="log-key-prefix[^"]*">([^<]*)</code>""").Groups[1].Value));
    }

    [Fact]
    public async Task A_new_org_sees_how_to_make_its_first_request()
    {
        var (client, _) = await SignedUpAsync();

        var test = await client.Http.GetStringAsync("/logs");
        var live = await client.Http.GetStringAsync("/logs?mode=live");

        Assert.Contains("No test requests yet", test);
        Assert.Contains("""<a href="/keys" class="link">create a test key</a>""", test);
        Assert.Contains("Authorization: Bearer nx_test_…", test);
        Assert.Contains("/api/v1/notes", test);
        Assert.Contains("No live requests yet", live);
        Assert.Contains("nx_live_…", live);
        Assert.Empty(LogIds(test));
    }

    private async Task<(DashboardClient Client, TestOrg Org)> SignedUpAsync()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        return (client, org);
    }

    private static List<string> LogIds(string html) => LogRow().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static string Detail(string html, string id)
    {
        var start = html.IndexOf($"data-log-id=\"{id}\"", StringComparison.Ordinal);
        return html[start..html.IndexOf("</details>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("""data-log-id="(req_[0-9a-z]+)" """)]
    private static partial Regex LogRow();

    [GeneratedRegex("""hx-get="(/logs\?[^"]*before=req_[0-9a-z]+)" """)]
    private static partial Regex MoreLink();
}
