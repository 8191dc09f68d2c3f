using System.Collections.Concurrent;

namespace Nexus.Shared.RateLimits;

/// <summary>Refusing from memory: the windows this node has seen leased out in full.</summary>
public sealed partial class RateCounters
{
    // Windows this node has seen leased out in full. Within its window a count only goes down
    // when a node gives back its unused units on shutdown, so such a window can be refused from
    // memory (once this node's own units are spent) until it ends: a client hammering past its
    // limit then costs no query and takes no row lock that admitted requests would wait behind.
    private readonly ConcurrentDictionary<(string Bucket, DateTimeOffset WindowStart), DateTimeOffset> _full = new();

    /// <summary>True when this node has seen the limit's current window leased out in full and holds no unit of it (no query).</summary>
    public bool IsFull(RateLimit limit, DateTimeOffset now) => _full.ContainsKey(Key(limit, now)) && _ledger.Left(limit, now) == 0;

    private static (string, DateTimeOffset) Key(RateLimit limit, DateTimeOffset now) => (limit.Bucket, limit.WindowStart(now));

    private void Remember(RateLimit limit, DateTimeOffset now)
    {
        if (_full.Count > 10_000)
            foreach (var (entry, ends) in _full)
                if (ends <= now) _full.TryRemove(entry, out _);
        _full[Key(limit, now)] = limit.WindowEnd(now);
    }
}
