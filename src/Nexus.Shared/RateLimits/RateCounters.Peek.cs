namespace Nexus.Shared.RateLimits;

/// <summary>Reading the limits without spending them.</summary>
public sealed partial class RateCounters
{
    /// <summary>
    /// How <paramref name="limits"/> stand as this node knows them, taking nothing and asking no
    /// query: what an answer refused before its budgets were spent (a 401 or a 403) reports in its
    /// headers. Remaining means what it means after a take, the limit less what every node had leased
    /// at this node's last lease plus what it still holds; a window it has not leased from reads as
    /// untouched, and one it has seen leased out in full as spent.
    /// </summary>
    public RateDecision Peek(IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        var states = new RateLimitState[limits.Count];
        for (var i = 0; i < limits.Count; i++)
            states[i] = IsFull(limits[i], now)
                ? new RateLimitState(limits[i], limits[i].Limit, limits[i].WindowEnd(now))
                : _ledger.Peek(limits[i], now);
        return new RateDecision(states, null);
    }
}
