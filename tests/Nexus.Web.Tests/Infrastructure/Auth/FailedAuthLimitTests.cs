using System.Net;
using System.Net.Http.Headers;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// The failed-authentication limit (10 per minute per client IP) over real Kestrel, where every
/// request comes from 127.0.0.1, with a clock the test drives. Each test starts in a fresh minute,
/// so the tests of this class never share a window.
/// </summary>
public sealed class FailedAuthLimitTests(ClockedNexusApp<FailedAuthLimitTests> app) : IClassFixture<ClockedNexusApp<FailedAuthLimitTests>>
{
    private readonly Uri _baseAddress = app.StartKestrel();

    [Fact]
    public async Task Ten_failed_attempts_are_401_and_the_eleventh_is_429_until_the_minute_ends()
    {
        StartFreshMinute(secondsIn: 5);
        using var http = Client(_baseAddress);

        for (var i = 1; i <= 10; i++)
            await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.Unauthorized, "api_key_invalid");
        var eleventh = await SendAsync(http, NeverIssued());

        var error = await ApiAssert.ErrorAsync(eleventh, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("failed-authentication limit", error.GetProperty("message").GetString());
        Assert.Equal(TimeSpan.FromSeconds(55), eleventh.Headers.RetryAfter?.Delta);
        Assert.Empty(eleventh.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task A_blocked_address_is_refused_even_with_a_correct_key_and_let_in_when_the_minute_ends()
    {
        StartFreshMinute(secondsIn: 20);
        var (valid, _) = await (await app.CreateOrgAsync()).CreateKeyAsync();
        using var http = Client(_baseAddress);
        await FailAsync(http, 10);

        var blocked = await SendAsync(http, valid);
        await ApiAssert.ErrorAsync(blocked, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(40), blocked.Headers.RetryAfter?.Delta);

        app.Clock.Advance(TimeSpan.FromSeconds(39));
        var lastSecond = await SendAsync(http, valid);
        await ApiAssert.ErrorAsync(lastSecond, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(1), lastSecond.Headers.RetryAfter?.Delta);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await ApiAssert.OkAsync(await SendAsync(http, valid));
        // The new minute has its own budget: a wrong key is an ordinary 401 again.
        await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.Unauthorized, "api_key_invalid");
    }

    [Fact]
    public async Task Revoked_and_expired_keys_count_as_failed_attempts()
    {
        StartFreshMinute(secondsIn: 1);
        var org = await app.CreateOrgAsync();
        using var http = Client(_baseAddress);

        for (var i = 0; i < 5; i++)
        {
            var (revoked, revokedKey) = await org.CreateKeyAsync();
            await ChangeAsync(revokedKey, k => k.RevokedAt = app.Clock.GetUtcNow());
            await ApiAssert.ErrorAsync(await SendAsync(http, revoked), HttpStatusCode.Unauthorized, "api_key_revoked");
            var (expired, expiredKey) = await org.CreateKeyAsync();
            await ChangeAsync(expiredKey, k => k.ExpiresAt = app.Clock.GetUtcNow().AddSeconds(-1));
            await ApiAssert.ErrorAsync(await SendAsync(http, expired), HttpStatusCode.Unauthorized, "key_expired");
        }

        await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Keys_that_fail_the_checksum_are_refused_without_counting()
    {
        StartFreshMinute(secondsIn: 1);
        var (valid, _) = await (await app.CreateOrgAsync()).CreateKeyAsync();
        using var http = Client(_baseAddress);

        for (var i = 0; i < 25; i++)
        {
            var key = NeverIssued();
            var mistyped = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
            await ApiAssert.ErrorAsync(await SendAsync(http, mistyped), HttpStatusCode.Unauthorized, "api_key_invalid");
        }
        await ApiAssert.ErrorAsync(await SendAsync(http, "garbage"), HttpStatusCode.Unauthorized, "api_key_invalid");

        await ApiAssert.OkAsync(await SendAsync(http, valid));
        // The whole budget is still there.
        await FailAsync(http, 10);
        await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Two_web_nodes_share_the_count()
    {
        StartFreshMinute(secondsIn: 1);
        var (valid, _) = await (await app.CreateOrgAsync()).CreateKeyAsync();
        await using var second = app.Second();
        using var first = Client(_baseAddress);
        using var other = Client(second.StartKestrel());

        await FailAsync(first, 5);
        await FailAsync(other, 5);

        // Each node saw only five failures; the shared count says ten.
        await ApiAssert.ErrorAsync(await SendAsync(first, NeverIssued()), HttpStatusCode.TooManyRequests, "rate_limited");
        await ApiAssert.ErrorAsync(await SendAsync(first, valid), HttpStatusCode.TooManyRequests, "rate_limited");
        await ApiAssert.ErrorAsync(await SendAsync(other, valid), HttpStatusCode.TooManyRequests, "rate_limited");

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ApiAssert.OkAsync(await SendAsync(first, valid));
        await ApiAssert.OkAsync(await SendAsync(other, valid));
    }

    [Fact]
    public async Task Concurrent_failures_on_two_nodes_let_exactly_ten_through_as_401()
    {
        StartFreshMinute(secondsIn: 1);
        await using var second = app.Second();
        using var first = Client(_baseAddress);
        using var other = Client(second.StartKestrel());

        var responses = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => SendAsync(i % 2 == 0 ? first : other, NeverIssued())));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_limit_is_configurable()
    {
        StartFreshMinute(secondsIn: 1);
        await using var strict = app.Second();
        strict.Settings[FailedAuthLimiter.LimitSetting] = "3";
        using var http = Client(strict.StartKestrel());

        await FailAsync(http, 3);

        var error = await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("3 per minute", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Requests_without_a_key_are_neither_counted_nor_blocked()
    {
        StartFreshMinute(secondsIn: 1);
        using var http = Client(_baseAddress);

        for (var i = 0; i < 15; i++)
            await ApiAssert.ErrorAsync(await http.GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "api_key_missing");
        await FailAsync(http, 10);

        await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    /// <summary>Moves the clock to <paramref name="secondsIn"/> seconds past the start of the next minute (a window no earlier test used).</summary>
    private void StartFreshMinute(int secondsIn)
    {
        var now = app.Clock.GetUtcNow();
        var nextMinute = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
        app.Clock.Advance(nextMinute - now + TimeSpan.FromSeconds(secondsIn));
    }

    private static async Task FailAsync(HttpClient http, int times)
    {
        for (var i = 0; i < times; i++)
            await ApiAssert.ErrorAsync(await SendAsync(http, NeverIssued()), HttpStatusCode.Unauthorized, "api_key_invalid");
    }

    private static HttpClient Client(Uri baseAddress) => new() { BaseAddress = baseAddress };

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request);
    }

    /// <summary>Well-formed (it passes the checksum), so it costs a lookup and counts as a failure.</summary>
    private static string NeverIssued() => KeyFormat.Generate(KeyKind.Secret, Mode.Test);

    private async Task ChangeAsync(ApiKey key, Action<ApiKey> change)
    {
        change(key);
        await using var session = app.Store.LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
    }
}
