using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.RateLimits;

/// <summary>
/// Every API answer carries X-RateLimit-Limit/Remaining/Reset, also one refused before any budget
/// was spent: a caller with a valid key sees its own limits (nothing spent), anyone else the
/// failed-authentication limit of their address. On real Kestrel: the in-memory server has no client address.
/// </summary>
public sealed class RateLimitHeaderTests(NexusApp<RateLimitHeaderTests> app) : IClassFixture<NexusApp<RateLimitHeaderTests>>
{
    [Fact]
    public async Task A_key_without_the_scope_sees_its_orgs_limit_untouched_and_the_next_good_request_spends_the_first_unit()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 30, TimeSpan.Zero));
        await using var host = new ClockedApp(app, clock);
        var address = host.StartKestrel();
        // Pro: 100 a minute, so the org's limit cannot be mistaken for the failed-authentication limit (10).
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var wrongScope = new HttpClient { BaseAddress = address }.WithKey((await org.CreateKeyAsync(scopes: [KeyScopes.ReadLogs])).Plaintext);
        using var good = new HttpClient { BaseAddress = address }.WithKey((await org.CreateKeyAsync()).Plaintext);

        var forbidden = await wrongScope.GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(("100", "100", Reset(clock, TimeSpan.FromMinutes(1))), RateLimitHeaders.Of(forbidden));
        Assert.Equal(("100", "100", Reset(clock, TimeSpan.FromMinutes(1))), RateLimitHeaders.Of(await wrongScope.GetAsync("/api/v1/notes")));

        Assert.Equal(("100", "99", Reset(clock, TimeSpan.FromMinutes(1))), RateLimitHeaders.Of(await good.GetAsync("/api/v1/notes")));
        // Once the org has spent some, a refused request reports what is left, still spending nothing.
        Assert.Equal(("100", "99", Reset(clock, TimeSpan.FromMinutes(1))), RateLimitHeaders.Of(await wrongScope.GetAsync("/api/v1/notes")));
        Assert.Equal(("100", "98", Reset(clock, TimeSpan.FromMinutes(1))), RateLimitHeaders.Of(await good.GetAsync("/api/v1/notes")));
    }

    [Fact]
    public async Task Answers_before_a_key_is_accepted_carry_the_failed_authentication_limit_and_count_only_lookups()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 22, 13, 0, 5, TimeSpan.Zero));
        await using var host = new ClockedApp(app, clock);
        var address = host.StartKestrel();
        // A Pro org (100 a minute), so its limits cannot be mistaken for the failed-authentication limit (10).
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (revokedKey, revoked) = await org.CreateKeyAsync();
        var (elsewhereKey, elsewhere) = await org.CreateKeyAsync();
        await using (var session = app.Store.LightweightSession())
        {
            revoked.RevokedAt = clock.GetUtcNow();
            elsewhere.AllowedIps = ["203.0.113.0/24"];
            session.Store(revoked, elsewhere);
            await session.SaveChangesAsync();
        }
        using var anonymous = new HttpClient { BaseAddress = address };
        var reset = Reset(clock, TimeSpan.FromMinutes(1));

        // Not counted: no key, a key that fails its checksum, a malformed query, a route that does not exist.
        var missing = await anonymous.GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(("10", "10", reset), RateLimitHeaders.Of(missing));
        Assert.Equal(("10", "10", reset), RateLimitHeaders.Of(await Client(address, "nx_test_notakey").GetAsync("/api/v1/notes")));
        Assert.Equal(("10", "10", reset), RateLimitHeaders.Of(await anonymous.GetAsync("/api/v1/notes?title=%00")));
        Assert.Equal(("10", "10", reset), RateLimitHeaders.Of(await anonymous.GetAsync("/api/v1/nothing-here")));

        // Counted: a key that was never issued, a revoked key, a valid key from outside its allowlist
        // (which learns nothing of its org's budget); each answer shows its own failure.
        var unknown = await Client(address, KeyFormat.Generate(KeyKind.Secret, Mode.Test)).GetAsync("/api/v1/notes");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(("10", "9", reset), RateLimitHeaders.Of(unknown));
        var gone = await Client(address, revokedKey).GetAsync("/api/v1/notes");
        await ApiAssert.ErrorAsync(gone, HttpStatusCode.Unauthorized, "api_key_revoked");
        Assert.Equal(("10", "8", reset), RateLimitHeaders.Of(gone));
        var outside = await Client(address, elsewhereKey).GetAsync("/api/v1/notes");
        await ApiAssert.ErrorAsync(outside, HttpStatusCode.Forbidden, "ip_not_allowed");
        Assert.Equal(("10", "7", reset), RateLimitHeaders.Of(outside));

        for (var i = 0; i < 7; i++) await Client(address, KeyFormat.Generate(KeyKind.Secret, Mode.Test)).GetAsync("/api/v1/notes");
        var blocked = await anonymous.GetAsync("/api/v1/notes");
        var tooMany = await Client(address, KeyFormat.Generate(KeyKind.Secret, Mode.Test)).GetAsync("/api/v1/notes");
        await ApiAssert.ErrorAsync(tooMany, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(("10", "0", reset), RateLimitHeaders.Of(tooMany));
        Assert.Equal("55", Assert.Single(tooMany.Headers.GetValues("Retry-After")));
        Assert.Equal(("10", "0", reset), RateLimitHeaders.Of(blocked));
    }

    private static HttpClient Client(Uri address, string key) => new HttpClient { BaseAddress = address }.WithKey(key);

    private static string Reset(TestClock clock, TimeSpan window)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return (now - now % (long)window.TotalSeconds + (long)window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }


    /// <summary>A node on the class's schema with its own fake clock.</summary>
    private sealed class ClockedApp(NexusApp<RateLimitHeaderTests> first, TestClock clock) : NexusApp<RateLimitHeaderTests>(first)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        }
    }
}
