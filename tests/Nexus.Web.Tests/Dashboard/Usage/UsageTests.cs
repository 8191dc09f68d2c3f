using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Api.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Usage;

public sealed partial class UsageTests(NexusApp<UsageTests> app) : IClassFixture<NexusApp<UsageTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 25, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute = new(2026, 3, 10, 14, 25, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_page_shows_totals_a_chart_keys_with_their_limits_and_top_endpoints()
    {
        await using var host = Host();
        var (client, org) = await SignedUpAsync(host);
        var (_, busy) = await org.CreateKeyAsync(name: "Busy key");
        var (_, quiet) = await org.CreateKeyAsync(name: "Quiet key");
        await org.SetRateLimitAsync(busy, 5);
        await org.StoreUsageAsync([
            .. Enumerable.Range(0, 16).Select(i => UsageData.Log(org, busy, Now.AddHours(-2), 200, 4)),
            UsageData.Log(org, busy, Now.AddHours(-2), 429, 1),
            UsageData.Log(org, busy, Now.AddHours(-2), 404, 2, route: "/api/v1/notes/{id}"),
            UsageData.Log(org, quiet, Now.AddHours(-5), 500, 900, method: "POST"),
            UsageData.Log(org, quiet, Now.AddHours(-5), 201, 8, method: "POST"),
        ]);
        await org.StoreLogsAsync(Enumerable.Range(0, 4).Select(i => UsageData.Log(org, busy, Minute.AddSeconds(i), 200)));

        var page = await client.Http.GetStringAsync("/usage?period=24h");

        Assert.Contains("""aria-current="page">""", Regex.Match(page, """<a href="/usage"[^>]*>""").Value + ">");
        Assert.Equal("20", Stat(page, "requests"));
        Assert.Equal("15 %", Stat(page, "error-rate"));
        Assert.Equal("1", Stat(page, "rate-limited"));
        Assert.Contains("average 49 ms", page); // (16×4 + 1 + 2 + 900 + 8) / 20
        // The chart: 24 hourly bars, accessible, with the busiest hour named.
        Assert.Equal(24, Regex.Matches(page, """<g class="usage-bar" """).Count);
        Assert.Matches("""<svg width="100%" height="228" role="img" aria-labelledby="usage-chart-title usage-chart-desc" data-usage-chart>""", page);
        Assert.Contains("""<title id="usage-chart-title">Requests per hour over the last 24 hours</title>""", page);
        Assert.Contains("The busiest hour was Mar 10, 12:00 UTC with 18.", page);
        Assert.Contains("""data-requests="18">""", page);
        // Axis labels: the current hour and every third before it; every other one gives way on phones.
        Assert.Contains("""class="usage-tick">14:00</text>""", page);
        Assert.Contains("""class="usage-tick usage-tick-minor">11:00</text>""", page);
        Assert.Equal(8, Regex.Matches(page, "</text>").Count);
        Assert.Contains("""<div class="usage-y" aria-hidden="true">""", page);
        Assert.Matches("""<span>20</span>\s*<span>10</span>\s*<span>0</span>""", page);
        // Keys, busiest first: this minute against the key's own limit, today against the plan's day.
        Assert.Equal([busy.Id, quiet.Id], KeyRows(page).Take(2));
        var busyRow = Row(page, busy.Id);
        Assert.Contains("Busy key", busyRow);
        Assert.Matches("""<span class="font-medium text-gray-900">4</span> of 5 \(key limit\)""", busyRow);
        Assert.Contains("""class="meter meter-close" max="5" value="4" """, busyRow);
        // The meters say whose they are by the key's name, not only its prefix; the rate-limited count
        // goes under the key where its column is hidden (below 1280 px).
        Assert.Contains($"aria-label=\"Busy key ({busy.Prefix}…): requests this minute of 5\"", WebUtility.HtmlDecode(busyRow));
        Assert.Contains("data-rate-limited>1 rate-limited</div>", busyRow);
        // Today: the earlier hours' records less the 429, plus this hour's logs.
        Assert.Matches("""<span class="font-medium text-gray-900">21</span> of 100""", busyRow);
        Assert.Contains("""data-usage-minute><span>4</span> <span class="stat-of">of 10 per minute</span>""", page);
        Assert.Contains("""data-usage-today><span>23</span> <span class="stat-of">of 100 per day</span>""", page);
        // Endpoints with p95.
        Assert.Equal(["GET /api/v1/notes", "POST /api/v1/notes", "GET /api/v1/notes/{id}"], Regex.Matches(page, """data-endpoint="([^"]+)">""").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));
    }

    [Fact]
    public async Task Top_endpoints_show_their_error_rate_average_and_p95()
    {
        await using var host = Host();
        var (client, org) = await SignedUpAsync(host);
        var (_, key) = await org.CreateKeyAsync();
        await org.StoreUsageAsync([UsageData.Log(org, key, Now, 500, 900, method: "POST"), UsageData.Log(org, key, Now, 201, 8, method: "POST")]);

        var page = await client.Http.GetStringAsync("/usage");

        var row = Regex.Match(page, """<tr data-endpoint="POST /api/v1/notes">(.*?)</tr>""", RegexOptions.Singleline).Groups[1].Value;
        var cells = Regex.Matches(row, """<td class="text-right[^"]*">([^<]*)</td>""").Select(m => m.Groups[1].Value).ToList();
        var p95 = Nexus.Web.Dashboard.Usage.Index.UsagePage.Ms(Nexus.Shared.Usage.LatencyHistogram.Bounds[Nexus.Shared.Usage.LatencyHistogram.BucketOf(900)]);
        Assert.Equal(["2", "50 %", "454 ms", p95], cells);
    }

    [Theory]
    [InlineData("period=30d", 30, "Requests per day over the last 30 days")]
    [InlineData("period=7d", 7, "Requests per day over the last 7 days")]
    [InlineData("period=bogus", 7, "Requests per day over the last 7 days")]
    [InlineData("period=24h", 24, "Requests per hour over the last 24 hours")]
    public async Task The_period_switch_answers_htmx_with_the_content_of_the_same_url(string query, int bars, string title)
    {
        await using var host = Host();
        var (client, org) = await SignedUpAsync(host);
        var (_, key) = await org.CreateKeyAsync();
        await org.StoreUsageAsync([UsageData.Log(org, key, Now.AddHours(-1), 200)]);

        var response = await client.HtmxGetAsync("/usage?mode=test&" + query);

        Assert.Contains("HX-Request", response.Headers.Vary);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", html);
        Assert.Equal(bars, Regex.Matches(html, """<g class="usage-bar" """).Count);
        Assert.Contains(title, html);
        Assert.Contains("<html", await client.Http.GetStringAsync("/usage?" + query));
    }

    [Fact]
    public async Task Each_mode_and_org_counts_only_its_own_requests()
    {
        await using var host = Host();
        var other = await app.CreateOrgAsync("Other Org");
        var (_, otherKey) = await other.CreateKeyAsync(name: "Their key");
        await other.StoreUsageAsync(Enumerable.Range(0, 7).Select(_ => UsageData.Log(other, otherKey, Now, 200)));
        var (client, org) = await SignedUpAsync(host);
        var (_, testKey) = await org.CreateKeyAsync(Mode.Test, name: "Test key");
        var (_, liveKey) = await org.CreateKeyAsync(Mode.Live, name: "Live key");
        await org.StoreUsageAsync([UsageData.Log(org, testKey, Now, 200), .. Enumerable.Range(0, 3).Select(_ => UsageData.Log(org, liveKey, Now, 200))]);

        var test = await client.Http.GetStringAsync("/usage");
        var live = await client.Http.GetStringAsync("/usage?mode=live");

        Assert.Equal("1", Stat(test, "requests"));
        Assert.Equal([testKey.Id], KeyRows(test));
        Assert.Equal("3", Stat(live, "requests"));
        Assert.Equal([liveKey.Id], KeyRows(live));
        Assert.Contains("""<a href="/usage?period=7d&amp;mode=live" class="segment segment-current" aria-current="page" """.TrimEnd(), live);
        Assert.DoesNotContain("Their key", test + live);
        Assert.DoesNotContain(otherKey.Id, test + live);
    }

    [Fact]
    public async Task A_new_org_sees_its_limits_and_how_to_get_figures()
    {
        await using var host = Host();
        var (client, org) = await SignedUpAsync(host);

        var page = await client.Http.GetStringAsync("/usage");
        await org.CreateKeyAsync(Mode.Test);
        var withKey = await client.Http.GetStringAsync("/usage?period=30d");

        Assert.Contains("No test requests in the last 7 days", page);
        Assert.Contains("""<a href="/keys" class="link">creating a test key</a>""", page);
        Assert.Contains("Authorization: Bearer nx_test_…", page);
        Assert.Contains("of 10 per minute", page);
        Assert.Contains("of 100 per day", page);
        Assert.DoesNotContain("data-usage-chart", page);
        Assert.Contains("No test requests in the last 30 days", withKey);
        Assert.Contains("""<a href="/logs?mode=test" class="link">Logs</a>""", withKey);
    }

    [Fact]
    public async Task Requests_not_yet_rolled_up_are_counted_live_and_the_tables_say_they_are_coming()
    {
        await using var host = Host();
        var (client, org) = await SignedUpAsync(host);
        var (_, key) = await org.CreateKeyAsync(name: "Fresh key");
        // This minute's logs only: the worker has not rolled them up yet.
        await org.StoreLogsAsync(Enumerable.Range(0, 3).Select(i => UsageData.Log(org, key, Minute.AddSeconds(i), 200)));

        var page = await client.Http.GetStringAsync("/usage");

        Assert.Contains("""data-usage-today><span>3</span>""", page);
        Assert.Equal("0", Stat(page, "requests"));
        // The top endpoints table says why it has no rows, rather than showing headings over nothing.
        var endpoints = Regex.Match(page, """<table class="table usage-endpoints">.*?</table>""", RegexOptions.Singleline).Value;
        Assert.Contains("data-rollup-pending>" + Nexus.Web.Dashboard.Usage.Index.UsagePage.RollupPending + "</td>", endpoints);
        Assert.DoesNotContain("data-endpoint=", endpoints);
    }

    /// <summary>
    /// A deployment's own plan limits (a host of its own here, beside hosts with the defaults), written
    /// with thousands separators wherever the page shows them.
    /// </summary>
    [Fact]
    public async Task A_deployments_own_plan_limits_show_with_thousands_separators()
    {
        await using var host = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Nexus:Plans:Free:PerMinute", "1000000");
            b.UseSetting("Nexus:Plans:Free:PerDay", "100000000");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new TestClock(Now)));
        });
        var (client, org) = await SignedUpAsync(host);
        var (_, key) = await org.CreateKeyAsync(name: "Big key");
        await org.StoreLogsAsync(Enumerable.Range(0, 1234).Select(i => UsageData.Log(org, key, Minute.AddMilliseconds(i * 10), 200)));

        var page = await client.Http.GetStringAsync("/usage");

        Assert.Contains("""data-usage-minute><span>1,234</span> <span class="stat-of">of 1,000,000 per minute</span>""", page);
        Assert.Contains("""data-usage-today><span>1,234</span> <span class="stat-of">of 100,000,000 per day</span>""", page);
        var row = Row(page, key.Id);
        Assert.Matches("""<span class="font-medium text-gray-900">1,234</span> of 1,000,000</div>""", row);
        Assert.Matches("""<span class="font-medium text-gray-900">1,234</span> of 100,000,000""", row);

        await using var plain = Host();
        var (defaults, _) = await SignedUpAsync(plain);
        Assert.Contains("of 10 per minute", await defaults.Http.GetStringAsync("/usage"));
    }

    private WebApplicationFactory<Program> Host() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new TestClock(Now))));

    private async Task<(DashboardClient Client, TestOrg Org)> SignedUpAsync(WebApplicationFactory<Program> host)
    {
        var client = DashboardClient.For(host);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        return (client, org);
    }

    private static string Stat(string html, string name) =>
        Regex.Match(html, $"""data-stat="{name}"><p class="stat-label">[^<]*</p><p class="stat-value">([^<]*)</p>""").Groups[1].Value;

    private static List<string> KeyRows(string html) => Regex.Matches(html, """<tr data-key-id="([^"]+)">""").Select(m => m.Groups[1].Value).ToList();

    private static string Row(string html, string keyId)
    {
        var start = html.IndexOf($"<tr data-key-id=\"{keyId}\">", StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
