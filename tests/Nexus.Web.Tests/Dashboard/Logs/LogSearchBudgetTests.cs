using System.Net;
using System.Text.RegularExpressions;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Dashboard.Logs.Index;
using Nexus.Web.Tests.Api.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Logs;

/// <summary>
/// A filter on the rows' content searches at most the scan budget's newest requests per page (10
/// here), says how far back it searched, and offers to go on from there; a 4xx or 5xx filter alone
/// needs no budget, since failed requests have an index of their own.
/// </summary>
public sealed partial class LogSearchBudgetTests : IClassFixture<NexusApp<LogSearchBudgetTests>>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly NexusApp<LogSearchBudgetTests> _app;

    public LogSearchBudgetTests(NexusApp<LogSearchBudgetTests> app)
    {
        _app = app;
        app.Settings[LogPage.ScanBudgetSetting] = "10";
    }

    [Fact]
    public async Task A_rare_method_is_found_by_searching_further_back_a_budget_at_a_time()
    {
        var (client, org, logs) = await OrgWithLogsAsync(failedAt: [22, 23, 24]); // the three oldest of 25

        var first = await client.Http.GetStringAsync("/logs?method=DELETE");

        Assert.Empty(LogIds(first));
        Assert.Contains("No requests match these filters yet", first);
        Assert.Contains($"Searched the latest 10 requests, back to {logs[9].At.UtcDateTime:MMM d, HH:mm:ss} UTC.", first);
        var second = await client.Http.GetStringAsync(FurtherBack(first, expectedBefore: logs[9].Id));
        Assert.Empty(LogIds(second));
        var third = await client.Http.GetStringAsync(FurtherBack(second, expectedBefore: logs[19].Id));
        Assert.Equal([logs[22].Id, logs[23].Id, logs[24].Id], LogIds(third));
        Assert.DoesNotContain("data-searched-back", third); // fewer than 10 left to search: all of them were
    }

    [Fact]
    public async Task Rows_found_within_the_budget_are_shown_with_the_offer_to_search_further()
    {
        var (client, _, logs) = await OrgWithLogsAsync(failedAt: [1, 12]);

        var first = await client.Http.GetStringAsync("/logs?method=DELETE");

        Assert.Equal([logs[1].Id], LogIds(first));
        Assert.Contains("data-searched-back", first);
        var more = Regex.Match(first, """hx-get="(/logs\?[^"]*before=(req_[0-9a-z]+))" """);
        Assert.Equal(logs[9].Id, more.Groups[2].Value);
        var next = await (await client.HtmxGetAsync(WebUtility.HtmlDecode(more.Groups[1].Value))).Content.ReadAsStringAsync();
        Assert.Equal([logs[12].Id], LogIds(next));
    }

    [Theory]
    [InlineData("status=5xx")]
    [InlineData("status=5xx&range=24h")]
    public async Task A_failed_status_class_alone_finds_the_oldest_failures_at_once(string query)
    {
        var (client, _, logs) = await OrgWithLogsAsync(failedAt: [22, 23, 24]);

        var page = await client.Http.GetStringAsync("/logs?" + query);

        Assert.Equal([logs[22].Id, logs[23].Id, logs[24].Id], LogIds(page));
        Assert.DoesNotContain("data-searched-back", page);
    }

    [Fact]
    public async Task A_failed_status_class_with_another_filter_keeps_the_budget()
    {
        var (client, _, logs) = await OrgWithLogsAsync(failedAt: [22, 23, 24]);

        var page = await client.Http.GetStringAsync("/logs?status=5xx&method=DELETE");

        Assert.Empty(LogIds(page));
        Assert.Contains("data-searched-back", page);
    }

    [Fact]
    public async Task Without_a_filter_on_the_rows_no_budget_applies()
    {
        var (client, _, logs) = await OrgWithLogsAsync(failedAt: []);

        var page = await client.Http.GetStringAsync("/logs?range=24h");

        Assert.Equal(logs.Select(l => l.Id), LogIds(page));
        Assert.DoesNotContain("data-searched-back", page);
    }

    /// <summary>25 test-mode logs a second apart, newest first in the list returned; the given positions were DELETEs that answered 500, the rest GETs that answered 200.</summary>
    private async Task<(DashboardClient Client, TestOrg Org, List<RequestLog> Logs)> OrgWithLogsAsync(int[] failedAt)
    {
        var client = DashboardClient.For(_app);
        var org = await _app.Store.OrgOfAsync(_app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync();
        var logs = Enumerable.Range(0, 25).Select(i => failedAt.Contains(i)
            ? UsageData.Log(org, key, Now.AddSeconds(-i), 500, method: "DELETE")
            : UsageData.Log(org, key, Now.AddSeconds(-i), 200)).ToList();
        await org.StoreLogsAsync(logs);
        return (client, org, logs);
    }

    private static string FurtherBack(string html, string expectedBefore)
    {
        var link = Regex.Match(html, """<a href="(/logs\?[^"]*)" class="btn btn-sm mt-3">Search further back</a>""");
        Assert.True(link.Success, "no 'Search further back' link");
        var url = WebUtility.HtmlDecode(link.Groups[1].Value);
        Assert.Contains("before=" + expectedBefore, url);
        return url;
    }

    private static List<string> LogIds(string html) => LogRow().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("""data-log-id="(req_[0-9a-z]+)" """)]
    private static partial Regex LogRow();
}
