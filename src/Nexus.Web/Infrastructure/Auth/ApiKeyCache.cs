using System.Collections.Concurrent;
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
/// <remarks>
/// A busy key never expires under its callers' feet: in the last <see cref="RefreshAhead"/> of its
/// life, a hit still answers from memory and starts one reload in the background. And however many
/// requests miss a key at once, they wait for one query together. Without both, every
/// <see cref="Ttl"/> all requests in flight for a key missed together and queued a query each
/// for a pooled connection, a latency spike every few seconds.
/// </remarks>
public sealed class ApiKeyCache(IDocumentStore store, TimeProvider clock) : IDisposable
{
    /// <summary>A backstop only: notifications normally evict long before this. No entry is served older than this.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    /// <summary>How long before an entry expires a hit on it starts a reload.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(1);

    private sealed record Entry(ApiKey Key, DateTimeOffset LoadedAt);

    /// <summary>
    /// A query in flight for one hash, shared by everyone who asks for that hash meanwhile, as long
    /// as no change notice came in since it began (<see cref="Generation"/>). Lazy, so that when two
    /// callers race to register a load only the one registered runs a query.
    /// </summary>
    private sealed class Load
    {
        private readonly Lazy<Task<ApiKey?>> _result;

        public Load(ApiKeyCache cache, string hash, long generation, bool forMiss)
        {
            (Hash, Generation, ForMiss) = (hash, generation, forMiss);
            _result = new(() => cache.LoadAsync(this));
        }

        public string Hash { get; }
        public long Generation { get; }

        /// <summary>Started by a caller that found no entry (not by a reload ahead of expiry).</summary>
        public bool ForMiss { get; }
        public Task<ApiKey?> Result => _result.Value;
    }

    // Our own instance, so a reconnect can drop every key without touching other caches.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { Clock = new SystemClockAdapter(clock) });
    private readonly ConcurrentDictionary<string, Load> _loads = new();
    private long _generation;
    private volatile bool _listening;

    /// <summary>True while change notifications are arriving; otherwise every lookup goes to the database.</summary>
    public bool IsCaching => _listening;

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken ct)
    {
        if (!_listening) return await QueryAsync(hash, ct);
        if (_cache.TryGetValue<Entry>(hash, out var entry))
        {
            if (clock.GetUtcNow() - entry!.LoadedAt >= Ttl - RefreshAhead) RefreshInBackground(hash);
            return entry.Key;
        }
        return await SharedLoad(hash, forMiss: true).WaitAsync(ct);
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

    /// <summary>
    /// Joins the load in flight for the hash, or starts one. A load that began before the latest
    /// change notice is never joined: it may have read the key as it was before the change.
    /// </summary>
    private Task<ApiKey?> SharedLoad(string hash, bool forMiss)
    {
        var generation = Interlocked.Read(ref _generation);
        return _loads.AddOrUpdate(hash,
            static (h, s) => new Load(s.Cache, h, s.Generation, s.ForMiss),
            static (h, running, s) => running.Generation == s.Generation ? running : new Load(s.Cache, h, s.Generation, s.ForMiss),
            (Cache: this, Generation: generation, ForMiss: forMiss)).Result;
    }

    private async void RefreshInBackground(string hash)
    {
        // A failed reload leaves the entry to expire; the next miss queries again and reports the error.
        try { await SharedLoad(hash, forMiss: false); }
        catch (Exception) { }
    }

    /// <summary>
    /// Queries without the caller's cancellation (others may be waiting for the same answer) and
    /// caches what it read as of the moment it began, unless a change notice came in meanwhile.
    /// </summary>
    private async Task<ApiKey?> LoadAsync(Load load)
    {
        var loadedAt = clock.GetUtcNow();
        try
        {
            // A caller that missed may get here just after the load it would have joined finished,
            // cached the key and left _loads: the entry is there now, as fresh as that load, so no
            // second query. (An entry from before a change notice is gone: Evict removes it.)
            if (load.ForMiss && _cache.TryGetValue<Entry>(load.Hash, out var cached)) return cached!.Key;
            var key = await QueryAsync(load.Hash, CancellationToken.None);
            if (key is not null && _listening && Interlocked.Read(ref _generation) == load.Generation)
                _cache.Set(load.Hash, new Entry(key, loadedAt), loadedAt + Ttl);
            return key;
        }
        finally
        {
            _loads.TryRemove(new KeyValuePair<string, Load>(load.Hash, load));
        }
    }

    private async Task<ApiKey?> QueryAsync(string hash, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.KeyHash == hash, ct);
    }

    private sealed class SystemClockAdapter(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
