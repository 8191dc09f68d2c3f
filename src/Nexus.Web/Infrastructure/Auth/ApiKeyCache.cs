using Marten;
using Microsoft.Extensions.Caching.Memory;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Keeps recently used keys in memory for a few seconds so a busy client does not cost a query
/// per request. Every key change is announced by PostgreSQL NOTIFY (<see cref="KeyChangeListener"/>),
/// which evicts the key on every node at once; the cache is used only while that listener is
/// connected, so a node that might miss a notice never serves a stale key.
/// </summary>
public sealed class ApiKeyCache(IDocumentStore store, TimeProvider clock) : IDisposable
{
    /// <summary>A backstop only: notifications normally evict long before this.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    // Our own instance, so a reconnect can drop every key without touching other caches.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { Clock = new SystemClockAdapter(clock) });
    private long _generation;
    private volatile bool _listening;

    /// <summary>True while change notifications are arriving; otherwise every lookup goes to the database.</summary>
    public bool IsCaching => _listening;

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken ct)
    {
        if (_listening && _cache.TryGetValue<ApiKey>(hash, out var cached)) return cached;

        // An eviction that arrives while we are loading must win: remember the generation before
        // the query and cache the result only if no notice came in meanwhile.
        var generation = Interlocked.Read(ref _generation);
        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.KeyHash == hash, ct);
        if (key is not null && _listening && Interlocked.Read(ref _generation) == generation)
            _cache.Set(hash, key, Ttl);
        return key;
    }

    public void Evict(string hash)
    {
        Interlocked.Increment(ref _generation);
        _cache.Remove(hash);
    }

    /// <summary>Called by the listener: start caching once LISTEN is in place, stop and forget everything when it is lost.</summary>
    internal void SetListening(bool listening)
    {
        Interlocked.Increment(ref _generation);
        _listening = listening;
        _cache.Clear();
    }

    public void Dispose() => _cache.Dispose();

    private sealed class SystemClockAdapter(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
