using Marten;
using Microsoft.Extensions.Caching.Memory;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Keeps recently used keys in memory for a few seconds so a busy client does not cost a
/// query per request. Revoking on this node evicts at once; other nodes see it when the short
/// TTL runs out.
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache, IDocumentStore store)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken ct)
    {
        if (cache.TryGetValue<ApiKey>(CacheKey(hash), out var cached)) return cached;

        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.KeyHash == hash, ct);
        if (key is not null) cache.Set(CacheKey(hash), key, Ttl);
        return key;
    }

    public void Evict(string hash) => cache.Remove(CacheKey(hash));

    private static string CacheKey(string hash) => "apikey:" + hash;
}
