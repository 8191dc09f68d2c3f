using System.Collections.Concurrent;
using System.Diagnostics;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// The key cache on a fake clock, against the real store. Lookups are counted with Npgsql's own
/// tracing (every command is an activity of the "Npgsql" source), keeping only queries of this
/// class's schema's key table, so other classes running in parallel do not count.
/// </summary>
public sealed class ApiKeyCacheTests(NexusApp<ApiKeyCacheTests> app) : IClassFixture<NexusApp<ApiKeyCacheTests>>, IDisposable
{
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<string> _lookups = new();
    private ActivityListener? _listener;

    [Fact]
    public async Task Requests_that_miss_a_key_at_the_same_time_wait_for_one_query_together()
    {
        var (cache, key) = await CacheWithKeyAsync();

        var found = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => cache.FindByHashAsync(key.KeyHash, default))));

        Assert.All(found, k => Assert.Equal(key.Id, k?.Id));
        Assert.Single(_lookups);
    }

    [Fact]
    public async Task A_key_in_use_is_reloaded_in_the_background_before_it_expires()
    {
        var (cache, key) = await CacheWithKeyAsync();
        var first = await cache.FindByHashAsync(key.KeyHash, default);

        _clock.Advance(ApiKeyCache.Ttl - ApiKeyCache.RefreshAhead - TimeSpan.FromMilliseconds(1));
        Assert.Same(first, await cache.FindByHashAsync(key.KeyHash, default));
        Assert.Single(_lookups);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Same(first, await cache.FindByHashAsync(key.KeyHash, default)); // answered from memory, reload started
        var second = await EventuallyAsync(async () => await cache.FindByHashAsync(key.KeyHash, default) is { } k && !ReferenceEquals(k, first) ? k : null);
        Assert.Equal(2, _lookups.Count);

        _clock.Advance(ApiKeyCache.RefreshAhead + TimeSpan.FromMilliseconds(500)); // past the first load's expiry
        Assert.Same(second, await cache.FindByHashAsync(key.KeyHash, default));
        Assert.Equal(2, _lookups.Count);
    }

    [Fact]
    public async Task An_entry_is_never_served_once_its_ttl_has_passed()
    {
        var (cache, key) = await CacheWithKeyAsync();
        await cache.FindByHashAsync(key.KeyHash, default);
        await using (var session = app.Store.LightweightSession())
        {
            key.Name = "renamed behind the cache's back";
            session.Store(key);
            await session.SaveChangesAsync();
        }

        _clock.Advance(ApiKeyCache.Ttl);
        var found = await cache.FindByHashAsync(key.KeyHash, default);

        Assert.Equal("renamed behind the cache's back", found?.Name);
        Assert.Equal(2, _lookups.Count);
    }

    [Fact]
    public async Task A_key_is_read_from_the_database_every_time_while_the_listener_is_away()
    {
        var (cache, key) = await CacheWithKeyAsync();
        cache.SetListening(false);

        for (var i = 0; i < 3; i++) Assert.Equal(key.Id, (await cache.FindByHashAsync(key.KeyHash, default))?.Id);

        Assert.Equal(3, _lookups.Count);
    }

    /// <summary>A listening cache of its own on the test clock, a fresh key, and the counter started after both.</summary>
    private async Task<(ApiKeyCache Cache, ApiKey Key)> CacheWithKeyAsync()
    {
        var org = await app.CreateOrgAsync();
        var (_, key) = await org.CreateKeyAsync();
        var cache = new ApiKeyCache(app.Store, _clock);
        cache.SetListening(true);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = string.Join(" ", activity.TagObjects.Select(t => t.Value?.ToString())) + " " + activity.DisplayName;
                // A lookup reads from the key table (saving a key writes to it through Marten's functions).
                if (text.Contains("from " + app.Schema + ".mt_doc_apikey", StringComparison.OrdinalIgnoreCase))
                    _lookups.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(_listener);
        return (cache, key);
    }

    /// <summary>Polls (real time, a few ms apart) until <paramref name="probe"/> gives a value; the background reload is one query away.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await probe() is { } value) return value;
            await Task.Delay(5);
        }
        throw new TimeoutException("the background reload never landed");
    }

    public void Dispose() => _listener?.Dispose();
}
