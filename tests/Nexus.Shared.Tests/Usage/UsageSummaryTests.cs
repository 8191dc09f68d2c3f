using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;

namespace Nexus.Shared.Tests.Usage;

public sealed class UsageSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 25, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("24h", UsagePeriod.Last24Hours)]
    [InlineData("7d", UsagePeriod.Last7Days)]
    [InlineData("30d", UsagePeriod.Last30Days)]
    public void Period_names_parse_and_write_back(string name, UsagePeriod period)
    {
        Assert.True(UsagePeriods.TryParse(name, out var parsed));
        Assert.Equal(period, parsed);
        Assert.Equal(name, parsed.ToWire());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("24H")]
    [InlineData("1d")]
    [InlineData("7")]
    public void Anything_else_is_not_a_period(string? name) => Assert.False(UsagePeriods.TryParse(name, out _));

    [Fact]
    public void The_last_24_hours_are_24_hourly_buckets_ending_with_the_current_hour()
    {
        var window = UsageWindow.For(UsagePeriod.Last24Hours, Now);

        Assert.Equal(UsageGranularity.Hour, window.Granularity);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero), window.To);
        Assert.Equal(24, window.Starts.Count());
    }

    [Theory]
    [InlineData(UsagePeriod.Last7Days, 7, 4)]
    [InlineData(UsagePeriod.Last30Days, 30, 9)]
    public void Days_are_whole_utc_days_ending_with_today(UsagePeriod period, int days, int firstDay)
    {
        var window = UsageWindow.For(period, Now.ToOffset(TimeSpan.FromHours(-8)));

        Assert.Equal(UsageGranularity.Day, window.Granularity);
        Assert.Equal(days, window.Starts.Count());
        Assert.Equal(new DateTimeOffset(2026, period == UsagePeriod.Last7Days ? 3 : 2, firstDay, 0, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), window.To);
    }

    [Fact]
    public void Totals_add_up_the_records_of_the_window_and_take_p95_from_the_merged_histograms()
    {
        // Rolled up from a known sequence: 18 fast successes, a 404, a 429, and a slow 500.
        var logs = Enumerable.Range(0, 18).Select(i => Log("key_a", Now.AddMinutes(-i), 200, 10))
            .Append(Log("key_a", Now.AddHours(-2), 404, 5))
            .Append(Log("key_b", Now.AddHours(-3), 429, 1))
            .Append(Log("key_b", Now.AddHours(-5), 500, 900))
            .Append(Log("key_a", Now.AddDays(-2), 200, 10)); // outside 24 h
        var records = UsageRollup.Roll(logs);

        var summary = UsageSummary.From(records, UsageWindow.For(UsagePeriod.Last24Hours, Now));

        var t = summary.Totals;
        Assert.Equal((21L, 18L, 2L, 1L, 1L, 3L), (t.Requests, t.Successes, t.ClientErrors, t.ServerErrors, t.RateLimited, t.Errors));
        Assert.Equal(3.0 / 21, t.ErrorRate, 10);
        Assert.Equal(Math.Round((18 * 10 + 5 + 1 + 900) / 21.0, 3), t.AverageLatencyMs);
        // The 20th of 21 sorted latencies is 10 ms: p95 is the bound of 10 ms's bucket.
        Assert.Equal(LatencyHistogram.Bounds[LatencyHistogram.BucketOf(10)], t.P95LatencyMs);
    }

    [Fact]
    public void An_empty_period_has_zero_totals_no_latency_and_a_zero_filled_series()
    {
        var summary = UsageSummary.From([], UsageWindow.For(UsagePeriod.Last7Days, Now));

        Assert.Equal(UsageTotals.Zero, summary.Totals);
        Assert.Equal(0, summary.Totals.ErrorRate);
        Assert.Null(summary.Totals.P95LatencyMs);
        Assert.Equal(7, summary.Series.Count);
        Assert.All(summary.Series, b => Assert.Equal(0, b.Requests));
        Assert.Empty(summary.Keys);
        Assert.Empty(summary.Endpoints);
    }

    [Fact]
    public void Daily_buckets_add_up_every_hour_of_their_utc_day_and_empty_days_are_zero()
    {
        var records = UsageRollup.Roll([
            Log("key_a", new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), 200, 1),
            Log("key_a", new DateTimeOffset(2026, 3, 10, 13, 59, 59, TimeSpan.Zero), 500, 1),
            Log("key_a", new DateTimeOffset(2026, 3, 8, 23, 59, 59, TimeSpan.Zero), 200, 1),
            Log("key_a", new DateTimeOffset(2026, 3, 3, 23, 0, 0, TimeSpan.Zero), 200, 1), // the day before the window
        ]);

        var series = UsageSummary.From(records, UsageWindow.For(UsagePeriod.Last7Days, Now)).Series;

        Assert.Equal([0L, 0, 0, 0, 1, 0, 2], series.Select(b => b.Requests));
        Assert.Equal([0L, 0, 0, 0, 0, 0, 1], series.Select(b => b.Errors));
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero), series[0].Start);
    }

    [Fact]
    public void Hourly_buckets_place_each_record_in_its_hour()
    {
        var records = UsageRollup.Roll([Log("key_a", Now, 429, 1), Log("key_a", Now.AddHours(-23), 200, 1), Log("key_a", Now.AddHours(-24), 200, 1)]);

        var series = UsageSummary.From(records, UsageWindow.For(UsagePeriod.Last24Hours, Now)).Series;

        Assert.Equal(1, series[0].Requests);
        Assert.Equal((1L, 1L, 1L), (series[^1].Requests, series[^1].Errors, series[^1].RateLimited));
        Assert.Equal(2, series.Sum(b => b.Requests));
    }

    [Fact]
    public void Keys_come_busiest_first_with_their_own_series_and_known_keys_without_usage_are_listed_at_zero()
    {
        var records = UsageRollup.Roll([
            Log("key_a", Now, 200, 1),
            Log("key_b", Now, 200, 1), Log("key_b", Now.AddHours(-1), 404, 1),
        ]);

        var summary = UsageSummary.From(records, UsageWindow.For(UsagePeriod.Last24Hours, Now), [("key_a", "nx_test_aaaaaa"), ("key_idle", "nx_test_idle00")]);

        Assert.Equal(["key_b", "key_a", "key_idle"], summary.Keys.Select(k => k.KeyId));
        var b = summary.Keys[0];
        Assert.Equal(("nx_test_key_b", 2L, 0.5), (b.KeyPrefix, b.Totals.Requests, b.Totals.ErrorRate));
        Assert.Equal([1L, 1L], b.Series.TakeLast(2).Select(x => x.Requests));
        Assert.Equal(24, summary.Keys[2].Series.Count);
        Assert.Equal(0, summary.Keys[2].Totals.Requests);
        Assert.Equal(summary.Totals.Requests, summary.Keys.Sum(k => k.Totals.Requests));
    }

    [Fact]
    public void Top_endpoints_are_the_ten_busiest_routes_with_error_rate_average_and_p95()
    {
        var logs = new List<RequestLog>();
        for (var i = 0; i < 12; i++)
            for (var n = 0; n <= i; n++)
                logs.Add(Log("key_a", Now, 200, 2, route: $"/api/v1/r{i:00}"));
        logs.Add(Log("key_a", Now, 500, 300, route: "/api/v1/r11"));
        logs.Add(Log("key_b", Now.AddHours(-1), 200, 10, route: "/api/v1/r11", method: "POST"));

        var endpoints = UsageSummary.From(UsageRollup.Roll(logs), UsageWindow.For(UsagePeriod.Last24Hours, Now)).Endpoints;

        Assert.Equal(UsageSummary.TopEndpoints, endpoints.Count);
        Assert.Equal(("GET", "/api/v1/r11", 13L), (endpoints[0].Method, endpoints[0].Route, endpoints[0].Totals.Requests));
        Assert.Equal(1.0 / 13, endpoints[0].Totals.ErrorRate, 10);
        Assert.Equal(LatencyHistogram.Bounds[LatencyHistogram.BucketOf(300)], endpoints[0].Totals.P95LatencyMs);
        Assert.Equal(Math.Round((12 * 2 + 300) / 13.0, 3), endpoints[0].Totals.AverageLatencyMs);
        Assert.DoesNotContain(endpoints, e => e.Route is "/api/v1/r00" || e.Method == "POST");
    }

    private static RequestLog Log(string keyId, DateTimeOffset at, int status, double latencyMs, string route = "/api/v1/notes", string method = "GET") => new()
    {
        Id = Ids.New("req"), OrgId = "org_1", Mode = Mode.Test, KeyId = keyId, KeyPrefix = "nx_test_" + keyId, At = at,
        Method = method, Route = route, Path = route, Status = status, LatencyMs = latencyMs,
    };
}
