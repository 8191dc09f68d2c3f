using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Usage;

public sealed class UsageApiTests(NexusApp<UsageApiTests> app) : IClassFixture<NexusApp<UsageApiTests>>
{
    /// <summary>Mid-minute, mid-hour: "this minute" began at 14:25, the current hour at 14:00, today at midnight UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 25, 30, TimeSpan.Zero);

    [Fact]
    public async Task The_figures_add_up_the_stored_usage_records_of_the_period()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (_, busy) = await org.CreateKeyAsync(name: "Busy");
        var (_, quiet) = await org.CreateKeyAsync(name: "Quiet");
        var (_, idle) = await org.CreateKeyAsync(name: "Idle");
        await org.SetRateLimitAsync(busy, 30);
        await org.StoreUsageAsync([
            .. Enumerable.Range(0, 6).Select(i => UsageData.Log(org, busy, Now.AddMinutes(-i), 200, 4)),
            UsageData.Log(org, busy, Now.AddHours(-3), 404, 2, route: "/api/v1/notes/{id}"),
            UsageData.Log(org, busy, Now.AddHours(-3), 429, 1, route: "/api/v1/notes/{id}"),
            UsageData.Log(org, quiet, Now.AddHours(-20), 500, 800, method: "POST"),
            UsageData.Log(org, quiet, Now.AddHours(-30), 200, 4), // before the last 24 hours
        ]);
        var (caller, _) = await org.CreateKeyAsync(name: "Reader", scopes: [KeyScopes.ReadLogs]);
        using var client = host.CreateClient().WithKey(caller);

        var usage = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/usage?period=24h"));

        Assert.Equal(("usage", "24h", "test", "hour"), (Str(usage, "object"), Str(usage, "period"), Str(usage, "mode"), Str(usage, "granularity")));
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("key_id").ValueKind);
        Assert.Equal(Now.AddHours(-23).AddMinutes(-25).AddSeconds(-30), usage.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero), usage.GetProperty("to").GetDateTimeOffset());
        var totals = usage.GetProperty("totals");
        Assert.Equal((9L, 6L, 2L, 1L, 1L), (Long(totals, "requests"), Long(totals, "successes"), Long(totals, "client_errors"), Long(totals, "server_errors"), Long(totals, "rate_limited")));
        Assert.Equal(Math.Round(3.0 / 9, 4), totals.GetProperty("error_rate").GetDouble());
        Assert.Equal(Math.Round((6 * 4 + 2 + 1 + 800) / 9.0, 3), totals.GetProperty("avg_latency_ms").GetDouble());
        Assert.Equal(LatencyHistogram.Bounds[LatencyHistogram.BucketOf(800)], totals.GetProperty("p95_latency_ms").GetDouble());

        var series = usage.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(24, series.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero), series[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal([(3, 1L, 1L, 0L), (20, 2L, 2L, 1L), (23, 6L, 0L, 0L)],
            series.Select((b, i) => (i, Long(b, "requests"), Long(b, "errors"), Long(b, "rate_limited"))).Where(b => b.Item2 > 0));

        var keys = usage.GetProperty("keys").EnumerateArray().ToList();
        // Busiest first; keys without usage (ties) follow.
        Assert.Equal([busy.Id, quiet.Id], keys.Take(2).Select(k => Str(k, "key_id")));
        var idleRow = keys.Single(k => Str(k, "key_id") == idle.Id);
        Assert.Equal((busy.Prefix, "Busy", 30, 8L), (Str(keys[0], "key_prefix"), Str(keys[0], "name"), keys[0].GetProperty("rate_limit_per_minute").GetInt32(), Long(keys[0].GetProperty("totals"), "requests")));
        Assert.Equal(JsonValueKind.Null, keys[1].GetProperty("rate_limit_per_minute").ValueKind);
        Assert.Equal(0.25, keys[0].GetProperty("totals").GetProperty("error_rate").GetDouble());
        Assert.Equal(24, idleRow.GetProperty("series").GetArrayLength());
        Assert.Equal(0, Long(idleRow.GetProperty("totals"), "requests"));
        Assert.Contains(keys, k => Str(k, "name") == "Reader"); // every working key is listed

        var endpoints = usage.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(["GET /api/v1/notes", "GET /api/v1/notes/{id}", "POST /api/v1/notes"], endpoints.Select(e => $"{Str(e, "method")} {Str(e, "route")}"));
        Assert.Equal(1.0, endpoints[1].GetProperty("totals").GetProperty("error_rate").GetDouble());
        Assert.Equal(LatencyHistogram.Bounds[LatencyHistogram.BucketOf(4)], endpoints[0].GetProperty("totals").GetProperty("p95_latency_ms").GetDouble());
    }

    [Fact]
    public async Task The_plan_limits_and_what_is_used_of_them_now_are_stated_per_org_and_key()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (_, key) = await org.CreateKeyAsync(name: "Metered");
        await org.SetRateLimitAsync(key, 5);
        var minute = new DateTimeOffset(2026, 3, 10, 14, 25, 0, TimeSpan.Zero);
        // Earlier hours of today come from the usage records; the current hour from the logs.
        await org.StoreUsageAsync([UsageData.Log(org, key, Now.AddHours(-2), 200), UsageData.Log(org, key, Now.AddHours(-2), 429),
            UsageData.Log(org, key, Now.AddDays(-1), 200)]);
        await org.StoreLogsAsync([
            UsageData.Log(org, key, minute, 200), UsageData.Log(org, key, minute.AddSeconds(20), 404),
            UsageData.Log(org, key, minute.AddSeconds(25), 429), // refused: spent no budget
            UsageData.Log(org, key, minute.AddSeconds(-1), 200), // the minute before
            UsageData.Log(org, key, new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero), 200),
        ]);
        var (caller, _) = await org.CreateKeyAsync(name: "Reader", scopes: [KeyScopes.ReadLogs]);
        using var client = host.CreateClient().WithKey(caller);

        var usage = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/usage"));

        var limits = usage.GetProperty("limits");
        Assert.Equal(("free", 10, 100), (Str(limits, "plan"), limits.GetProperty("per_minute").GetInt32(), limits.GetProperty("per_day").GetInt32()));
        Assert.Equal((2L, 5L), (Long(limits, "used_this_minute"), Long(limits, "used_today")));
        var metered = usage.GetProperty("keys").EnumerateArray().Single(k => Str(k, "key_id") == key.Id);
        Assert.Equal((5, 2L, 5L), (metered.GetProperty("rate_limit_per_minute").GetInt32(), Long(metered, "used_this_minute"), Long(metered, "used_today")));
        Assert.Equal(("7d", "day", 7), (Str(usage, "period"), Str(usage, "granularity"), usage.GetProperty("series").GetArrayLength()));
    }

    [Fact]
    public async Task Another_orgs_and_the_other_modes_usage_is_never_counted()
    {
        await using var host = Host();
        var other = await app.CreateOrgAsync("Other");
        var (_, otherKey) = await other.CreateKeyAsync();
        await other.StoreUsageAsync([UsageData.Log(other, otherKey, Now, 200)]);
        await other.StoreLogsAsync([UsageData.Log(other, otherKey, Now, 200)]);
        var org = await app.CreateOrgAsync();
        var (_, liveKey) = await org.CreateKeyAsync(Mode.Live);
        await org.StoreUsageAsync([UsageData.Log(org, liveKey, Now, 200), UsageData.Log(org, liveKey, Now, 500)]);
        var (_, testKey) = await org.CreateKeyAsync(Mode.Test);
        await org.StoreUsageAsync([UsageData.Log(org, testKey, Now, 200)]);
        using var test = host.CreateClient().WithKey((await org.CreateKeyAsync(Mode.Test, scopes: [KeyScopes.ReadLogs])).Plaintext);
        using var live = host.CreateClient().WithKey((await org.CreateKeyAsync(Mode.Live, scopes: [KeyScopes.ReadLogs])).Plaintext);

        // First, so no request of this test has been logged yet: the other org's logged request must not count.
        var otherKeyOnly = await ApiAssert.OkAsync(await test.GetAsync($"/api/v1/usage?key_id={otherKey.Id}"));
        var testUsage = await ApiAssert.OkAsync(await test.GetAsync("/api/v1/usage?period=30d"));
        var liveUsage = await ApiAssert.OkAsync(await live.GetAsync("/api/v1/usage?period=30d"));

        Assert.Equal(1, Long(testUsage.GetProperty("totals"), "requests"));
        Assert.Equal(2, Long(liveUsage.GetProperty("totals"), "requests"));
        Assert.Equal("live", Str(liveUsage, "mode"));
        Assert.DoesNotContain(testUsage.GetProperty("keys").EnumerateArray(), k => Str(k, "key_id") == liveKey.Id || Str(k, "key_id") == otherKey.Id);
        Assert.DoesNotContain(liveUsage.GetProperty("keys").EnumerateArray(), k => Str(k, "key_id") == testKey.Id);
        Assert.Equal(0, Long(otherKeyOnly.GetProperty("totals"), "requests"));
        Assert.Equal(0, otherKeyOnly.GetProperty("keys").GetArrayLength());
        Assert.Equal(0, Long(otherKeyOnly.GetProperty("limits"), "used_this_minute"));
    }

    [Fact]
    public async Task The_key_filter_keeps_one_keys_figures()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (_, a) = await org.CreateKeyAsync(name: "A");
        var (_, b) = await org.CreateKeyAsync(name: "B");
        await org.StoreUsageAsync([UsageData.Log(org, a, Now, 200), UsageData.Log(org, b, Now, 200), UsageData.Log(org, b, Now, 404)]);
        using var client = host.CreateClient().WithKey((await org.CreateKeyAsync(scopes: [KeyScopes.ReadLogs])).Plaintext);

        var usage = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/usage?key_id={b.Id}&period=24h"));

        Assert.Equal(b.Id, Str(usage, "key_id"));
        Assert.Equal(2, Long(usage.GetProperty("totals"), "requests"));
        Assert.Equal([b.Id], usage.GetProperty("keys").EnumerateArray().Select(k => Str(k, "key_id")));
    }

    [Fact]
    public async Task A_key_without_read_logs_is_refused_naming_the_scope()
    {
        var org = await app.CreateOrgAsync();
        using var client = app.CreateClient().WithKey((await org.CreateKeyAsync(scopes: [KeyScopes.WriteNotes])).Plaintext);

        var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/usage"), HttpStatusCode.Forbidden, "permission_denied");

        Assert.Contains("'read:logs'", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("?period=1d", "parameter_invalid", "period")]
    [InlineData("?period=24H", "parameter_invalid", "period")]
    [InlineData("?period=", "parameter_invalid", "period")]
    [InlineData("?key_id=nx_test_abc", "parameter_invalid", "key_id")]
    [InlineData("?limit=10", "parameter_unknown", "limit")]
    public async Task Bad_input_is_400_naming_the_parameter(string query, string code, string param)
    {
        var org = await app.CreateOrgAsync();
        using var client = app.CreateClient().WithKey((await org.CreateKeyAsync(scopes: [KeyScopes.ReadLogs])).Plaintext);

        var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/usage" + query), HttpStatusCode.BadRequest, code, param);

        if (param == "period") Assert.Contains("24h, 7d, 30d", error.GetProperty("message").GetString());
    }

    private WebApplicationFactory<Program> Host() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new TestClock(Now))));

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).GetString();

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();
}
