using System.Collections.Concurrent;

namespace Nexus.Web.Infrastructure.RateLimits;

/// <summary>
/// A value made once per client address and reused by its later requests (a client's rate limits:
/// made afresh, their bucket names were a good part of what the limiter allocated per request).
/// Holds at most <paramref name="maxClients"/> addresses and starts over when full, so addresses
/// sprayed at the API cannot grow it without bound; a value dropped is simply made again.
/// (MemoryCache could bound it too, but compacts in the background and boxes every read; a cache
/// of small immutable values needs neither.)
/// </summary>
public sealed class PerClientCache<T>(Func<string, T> make, int maxClients = 10_000) where T : class
{
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);

    public T Get(string client)
    {
        if (_values.TryGetValue(client, out var value)) return value;
        if (_values.Count >= maxClients) _values.Clear();
        return _values.GetOrAdd(client, make);
    }
}
