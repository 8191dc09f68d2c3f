using System.Net;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.RateLimits;

/// <summary>
/// The plan's limits per org and mode (minute and day), a key's own limit and the per-IP limit,
/// counted in PostgreSQL: exact at the window boundaries (fake clock), exact under concurrency
/// across two nodes, and a refused request spends no other budget.
/// </summary>
public sealed class RateLimitTests(NexusApp<RateLimitTests> app) : IClassFixture<NexusApp<RateLimitTests>>
{
    private static readonly DateTimeOffset HalfPastNoon = new(2026, 11, 22, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task The_free_plan_allows_exactly_ten_a_minute_and_the_eleventh_is_429_until_the_minute_ends()
    {
        var (host, clock) = Host(HalfPastNoon);
        var org = await app.CreateOrgAsync();
        using var client = host.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);

        for (var i = 1; i <= 10; i++)
        {
            var ok = await client.GetAsync("/api/v1/notes");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(("10", (10 - i).ToString(), "1795348860"), RateLimitHeaders.Of(ok)); // reset: 12:01:00Z
        }
        var refused = await client.GetAsync("/api/v1/notes");

        var error = await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("10 requests per minute", error.GetProperty("message").GetString());
        Assert.Equal("30", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(("10", "0", "1795348860"), RateLimitHeaders.Of(refused));

        clock.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/notes")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(1)); // exactly 12:01:00: the new window
        var next = await client.GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("9", RateLimitHeaders.Of(next).Remaining);
    }

    /// <summary>Plan limits are each host's own (Nexus:Plans:…), not the process's: this node's Free plan allows 3 a minute while the class's other hosts keep 10.</summary>
    [Fact]
    public async Task A_deployments_own_plan_limits_are_enforced_and_announced()
    {
        var clock = new TestClock(HalfPastNoon);
        await using var host = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Nexus:Plans:Free:PerMinute", "3");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        var org = await app.CreateOrgAsync();
        using var client = host.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);

        for (var i = 1; i <= 3; i++)
        {
            var ok = await client.GetAsync("/api/v1/notes");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(("3", (3 - i).ToString(), "1795348860"), RateLimitHeaders.Of(ok));
        }
        var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/notes"), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("the Free plan allows 3 requests per minute", error.GetProperty("message").GetString());

        var (defaults, _) = Host(HalfPastNoon);
        var other = await app.CreateOrgAsync();
        using var otherClient = defaults.CreateClient().WithKey((await other.CreateKeyAsync()).Plaintext);
        Assert.Equal("10", RateLimitHeaders.Of(await otherClient.GetAsync("/api/v1/notes")).Limit);
    }

    [Fact]
    public async Task The_day_limit_holds_across_minutes_until_midnight_utc()
    {
        var (host, clock) = Host(new DateTimeOffset(2026, 11, 22, 23, 40, 0, TimeSpan.Zero));
        var org = await app.CreateOrgAsync();
        using var client = host.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);

        for (var minute = 0; minute < 10; minute++)
        {
            for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/notes")).StatusCode);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        var refused = await client.GetAsync("/api/v1/notes"); // 23:50, the 101st today

        var error = await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("100 requests per day", error.GetProperty("message").GetString());
        Assert.Equal(((int)TimeSpan.FromMinutes(10).TotalSeconds).ToString(), refused.Headers.RetryAfter?.ToString());
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/notes")).StatusCode);
    }

    [Fact]
    public async Task A_request_refused_by_the_keys_own_limit_spends_nothing_of_the_orgs_budget()
    {
        var (host, _) = Host(HalfPastNoon);
        var org = await app.CreateOrgAsync();
        var limited = await KeyWithLimitAsync(org, 3);
        using var slow = host.CreateClient().WithKey(limited);
        using var other = host.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("/api/v1/notes")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var refused = await slow.GetAsync("/api/v1/notes");
            var error = await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.Contains("is limited to 3 requests per minute", error.GetProperty("message").GetString());
            Assert.Equal(("3", "0"), (RateLimitHeaders.Of(refused).Limit, RateLimitHeaders.Of(refused).Remaining));
        }

        // The org spent 3 of its 10: the other key has exactly 7 left.
        for (var i = 0; i < 7; i++) Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/notes")).StatusCode);
        var orgRefused = await other.GetAsync("/api/v1/notes");
        var orgError = await ApiAssert.ErrorAsync(orgRefused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("per minute for each organization", orgError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Test_and_live_mode_have_separate_budgets()
    {
        var (host, _) = Host(HalfPastNoon);
        var org = await app.CreateOrgAsync();
        using var test = host.CreateClient().WithKey((await org.CreateKeyAsync(Mode.Test)).Plaintext);
        using var live = host.CreateClient().WithKey((await org.CreateKeyAsync(Mode.Live)).Plaintext);

        for (var i = 0; i < 10; i++) await test.GetAsync("/api/v1/notes");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await test.GetAsync("/api/v1/notes")).StatusCode);
        var liveResponse = await live.GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.OK, liveResponse.StatusCode);
        Assert.Equal("9", RateLimitHeaders.Of(liveResponse).Remaining);
    }

    [Fact]
    public async Task Refused_keys_spend_nothing()
    {
        var (host, _) = Host(HalfPastNoon);
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        using var good = host.CreateClient().WithKey(plaintext);
        using var wrongScope = host.CreateClient().WithKey((await org.CreateKeyAsync(scopes: [KeyScopes.ReadLogs])).Plaintext);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Forbidden, (await wrongScope.GetAsync("/api/v1/notes")).StatusCode);

        Assert.Equal("9", RateLimitHeaders.Of(await good.GetAsync("/api/v1/notes")).Remaining);
    }

    [Fact]
    public async Task A_thousand_concurrent_requests_over_two_nodes_against_a_limit_of_100_admit_exactly_100_in_all()
    {
        var clock = new TestClock(HalfPastNoon);
        await using var nodeA = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        await using var nodeB = app.SecondNode().WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var key = (await org.CreateKeyAsync()).Plaintext;
        using var a = nodeA.CreateClient().WithKey(key);
        using var b = nodeB.CreateClient().WithKey(key);

        // Node B spends the first half alone, so the burst below must see B's count to stop at 100.
        for (var i = 0; i < 50; i++) Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/notes")).StatusCode);

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => (i % 2 == 0 ? a : b).GetAsync("/api/v1/notes")));

        var statuses = string.Join(", ", responses.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Key}×{g.Count()}"));
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 50, statuses);
        Assert.Equal(950, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_plan_change_applies_from_the_next_request()
    {
        var (host, _) = Host(HalfPastNoon);
        var org = await app.CreateOrgAsync();
        using var client = host.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);
        for (var i = 0; i < 10; i++) await client.GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/notes")).StatusCode);

        await using (var session = app.Store.LightweightSession())
        {
            session.Patch<Organization>(org.Org.Id).Set(o => o.Plan, Plan.Pro);
            KeyChanges.QueueOrgNotify(session, org.Org.Id);
            await session.SaveChangesAsync();
        }

        var upgraded = await WaitForStatusAsync(client, HttpStatusCode.OK);
        Assert.Equal("100", RateLimitHeaders.Of(upgraded).Limit);
    }

    [Fact]
    public async Task The_per_ip_limit_counts_every_key_from_one_address()
    {
        var clock = new TestClock(HalfPastNoon);
        await using var host = new IpLimitedApp(app, clock);
        var address = host.StartKestrel();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var first = new HttpClient { BaseAddress = address }.WithKey((await org.CreateKeyAsync()).Plaintext);
        using var second = new HttpClient { BaseAddress = address }.WithKey((await org.CreateKeyAsync()).Plaintext);

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/notes")).StatusCode);
        var refused = await second.GetAsync("/api/v1/notes");

        var error = await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("from one IP address", error.GetProperty("message").GetString());
    }

    /// <summary>A node on the class's schema with a per-IP limit of 3 and its own fake clock, on real Kestrel (the in-memory server has no client address).</summary>
    private sealed class IpLimitedApp : NexusApp<RateLimitTests>
    {
        private readonly TestClock _clock;

        public IpLimitedApp(NexusApp<RateLimitTests> first, TestClock clock) : base(first)
        {
            _clock = clock;
            Settings["Nexus:RateLimits:PerIpPerMinute"] = "3";
        }

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock));
        }
    }

    private (WebApplicationFactory<Program> Host, TestClock Clock) Host(DateTimeOffset now)
    {
        var clock = new TestClock(now);
        return (app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock))), clock);
    }

    private static async Task<string> KeyWithLimitAsync(TestOrg org, int perMinute)
    {
        var (plaintext, key) = await org.CreateKeyAsync();
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Patch<Nexus.Shared.Keys.ApiKey>(key.Id).Set(k => k.RateLimitPerMinute, perMinute);
        await session.SaveChangesAsync();
        return plaintext;
    }

    /// <summary>The notification travels asynchronously: ask again for a moment.</summary>
    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient client, HttpStatusCode status)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync("/api/v1/notes");
            if (response.StatusCode == status || attempt >= 100) return response;
            await Task.Delay(10);
        }
    }

}
