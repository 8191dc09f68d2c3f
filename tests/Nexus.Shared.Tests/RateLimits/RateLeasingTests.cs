using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.RateLimits;
using Nexus.Shared.Tests.Webhooks.Support;

namespace Nexus.Shared.Tests.RateLimits;

/// <summary>
/// Budget leasing: two <see cref="RateCounters"/> on one database are two web nodes. Each leases
/// slices of a window's budget and admits from memory; across both, a limit is never passed, it
/// is reached exactly while demand lasts on both, a refused request spends nothing, slices expire
/// with their window, and unused units can be given back.
/// </summary>
public sealed class RateLeasingTests(WebhookDatabase<RateLeasingTests> db) : IClassFixture<WebhookDatabase<RateLeasingTests>>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private RateCounters Node() => new(db.Store, db.Services.GetRequiredService<NpgsqlDataSource>());

    /// <summary>A limit whose 1 %, and 1 % of its room for the first slices, is more than the largest slice.</summary>
    private const int Large = 2 * RateCounters.SliceDivisor * RateCounters.MaxSlice;

    private static RateLimit Minute(string bucket, int limit) => new("minute", bucket, limit, TimeSpan.FromMinutes(1));

    private async Task<int> CountAsync(RateLimit limit, DateTimeOffset at) =>
        (int)(await db.ScalarAsync($"select coalesce(sum(count), 0)::int from {RateCounters.TableName} where bucket = '{limit.Bucket}' and window_start = '{limit.WindowStart(at):O}'"))!;

    [Fact]
    public async Task A_large_limit_is_leased_in_slices_and_most_requests_cost_no_query()
    {
        var node = Node();
        var limit = Minute("lease:large", Large);

        var first = await node.TakeAsync([limit], Noon, default);

        // 1 % of the limit is MaxSlice: the node leased a whole slice and used one unit.
        Assert.Equal(RateCounters.MaxSlice, await CountAsync(limit, Noon));
        Assert.Equal(Large - 1, first.Tightest!.Remaining);
        var lowWater = RateCounters.MaxSlice / 4;
        for (var left = RateCounters.MaxSlice - 2; left > lowWater; left--) Assert.True((await node.TakeAsync([limit], Noon, default)).Allowed);
        await node.TopUpsAsync();
        Assert.Equal(RateCounters.MaxSlice, await CountAsync(limit, Noon)); // all from memory so far
    }

    [Fact]
    public async Task A_node_leases_the_next_slice_in_the_background_before_it_runs_out()
    {
        var node = Node();
        var limit = Minute("lease:ahead", Large);
        Assert.True((await node.TakeAsync([limit], Noon, default)).Allowed); // leases a slice, MaxSlice − 1 units left

        // Down to a quarter of a slice: that take leases the next slice without waiting for it.
        for (var left = RateCounters.MaxSlice - 2; left >= RateCounters.MaxSlice / 4; left--)
            Assert.True((await node.TakeAsync([limit], Noon, default)).Allowed);
        await node.TopUpsAsync();

        Assert.Equal(2 * RateCounters.MaxSlice, await CountAsync(limit, Noon));
        // A quarter of a slice plus a slice are here now: the next MaxSlice − 1 requests cost no lease at all.
        for (var i = 0; i < RateCounters.MaxSlice - 1; i++)
            Assert.True((await node.TakeAsync([limit], Noon, default)).Allowed);
        Assert.Equal(2 * RateCounters.MaxSlice, await CountAsync(limit, Noon));
    }

    [Fact]
    public async Task A_small_limit_is_still_taken_one_request_at_a_time()
    {
        var node = Node();
        var limit = Minute("lease:small", 100);

        for (var i = 1; i <= 3; i++)
        {
            var decision = await node.TakeAsync([limit], Noon, default);
            Assert.Equal(i, await CountAsync(limit, Noon));
            Assert.Equal(100 - i, decision.Tightest!.Remaining);
        }
    }

    [Fact]
    public async Task Two_nodes_never_admit_more_than_the_limit_and_admit_exactly_the_limit_while_demand_lasts_on_both()
    {
        var (a, b) = (Node(), Node());
        var limit = Minute("lease:shared", 1_000);
        var clock = Noon;

        // Both nodes keep asking, in bursts, until both are refused.
        var admitted = 0;
        for (var round = 0; round < 200; round++)
        {
            var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).TakeAsync([limit], clock, default)));
            admitted += decisions.Count(d => d.Allowed);
            Assert.True(admitted <= 1_000, $"{admitted} admitted against a limit of 1,000");
            if (decisions.All(d => !d.Allowed)) break;
        }

        Assert.Equal(1_000, admitted);
        Assert.Equal(1_000, await CountAsync(limit, clock));
        Assert.Equal("minute", (await a.TakeAsync([limit], clock, default)).RefusedBy?.Limit.Name);
    }

    [Fact]
    public async Task Leased_units_a_node_does_not_use_are_never_spent_by_the_other()
    {
        var (a, b) = (Node(), Node());
        var limit = Minute("lease:idle", Large);

        Assert.True((await a.TakeAsync([limit], Noon, default)).Allowed); // a leases a slice and uses 1
        var admittedOnB = 0;
        while ((await b.TakeAsync([limit], Noon, default)).Allowed) admittedOnB++;

        Assert.Equal(Large - RateCounters.MaxSlice, admittedOnB);
        Assert.Equal(Large, await CountAsync(limit, Noon));
        // a still holds the rest of its slice, and that is all it can admit.
        var admittedOnA = 0;
        while ((await a.TakeAsync([limit], Noon, default)).Allowed) admittedOnA++;
        Assert.Equal(RateCounters.MaxSlice - 1, admittedOnA);
    }

    [Fact]
    public async Task A_refused_request_spends_nothing_of_its_other_limits()
    {
        var node = Node();
        var tight = Minute("lease:tight", 2);
        var wide = Minute("lease:wide", 10_000);

        Assert.True((await node.TakeAsync([tight, wide], Noon, default)).Allowed);
        Assert.True((await node.TakeAsync([tight, wide], Noon, default)).Allowed);
        var wideLeased = await CountAsync(wide, Noon);

        var other = Node(); // a node holding no units of either: a refusal must lease nothing
        var refused = await other.TakeAsync([tight, wide], Noon, default);

        Assert.Equal("lease:tight", refused.RefusedBy?.Limit.Bucket);
        Assert.Equal(2, await CountAsync(tight, Noon));
        Assert.Equal(wideLeased, await CountAsync(wide, Noon));
    }

    [Fact]
    public async Task A_slice_left_over_at_the_end_of_a_window_expires_with_it()
    {
        var node = Node();
        var limit = Minute("lease:expiry", Large);
        var lastMoment = Noon.AddSeconds(59.999);

        Assert.True((await node.TakeAsync([limit], lastMoment, default)).Allowed); // leases a slice, uses 1
        var next = Noon.AddMinutes(1);
        var decision = await node.TakeAsync([limit], next, default);

        Assert.True(decision.Allowed);
        Assert.Equal(RateCounters.MaxSlice, await CountAsync(limit, next)); // a new slice of the new window
        Assert.Equal(next.AddMinutes(1), decision.Tightest!.ResetsAt);
        Assert.Equal(Large - 1, decision.Tightest.Remaining);
    }

    [Fact]
    public async Task Slices_shrink_to_one_unit_near_the_limit()
    {
        var node = Node();
        var limit = Minute("lease:shrink", 1_000); // slices of 10 while the room is 1,000 … 1,099, then less

        var leases = new List<int>();
        var before = 0;
        while ((await node.TakeAsync([limit], Noon, default)).Allowed)
        {
            var now = await CountAsync(limit, Noon);
            if (now != before) leases.Add(now - before);
            before = now;
        }

        Assert.Equal(10, leases[0]);
        Assert.Equal(1_000, leases.Sum());
        Assert.All(leases.TakeLast(100), size => Assert.Equal(1, size)); // the last 100 units one at a time
    }

    [Fact]
    public async Task Unused_units_are_given_back_and_the_other_node_can_spend_them()
    {
        var (a, b) = (Node(), Node());
        var limit = Minute("lease:return", Large);

        Assert.True((await a.TakeAsync([limit], Noon, default)).Allowed);
        while ((await b.TakeAsync([limit], Noon, default)).Allowed) { }
        Assert.False((await b.TakeAsync([limit], Noon, default)).Allowed);

        await a.ReturnUnusedAsync(Noon.AddSeconds(10), default);

        Assert.Equal(Large - (RateCounters.MaxSlice - 1), await CountAsync(limit, Noon));
        var later = Noon.AddSeconds(11);
        var c = Node();
        var admitted = 0;
        while ((await c.TakeAsync([limit], later, default)).Allowed) admitted++;
        Assert.Equal(RateCounters.MaxSlice - 1, admitted);
    }
}
