namespace Nexus.Shared.RateLimits;

/// <summary>One limit that applies to a request: a named budget of <see cref="Limit"/> requests per fixed window.</summary>
/// <param name="Name">What the limit is, for people: <c>ip</c>, <c>key</c>, <c>minute</c> (org and mode) or <c>day</c> (org and mode).</param>
/// <param name="Bucket">The counter's key, e.g. <c>org:org_…:test:minute</c>.</param>
/// <param name="Limit">Requests allowed per window.</param>
/// <param name="Window">The window's length (a minute or a day).</param>
public sealed record RateLimit(string Name, string Bucket, int Limit, TimeSpan Window)
{
    /// <summary>
    /// Fixed windows aligned to the clock (minutes start at :00 seconds, days at 00:00 UTC), so
    /// every node agrees on the window without talking to the others. A request at exactly the
    /// boundary belongs to the new window.
    /// </summary>
    public DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        return new DateTimeOffset(ticks - ticks % Window.Ticks, TimeSpan.Zero);
    }

    public DateTimeOffset WindowEnd(DateTimeOffset now) => WindowStart(now) + Window;
}

/// <summary>How a request fared against one limit.</summary>
public sealed record RateLimitState(RateLimit Limit, int Used, DateTimeOffset ResetsAt)
{
    public int Remaining => Math.Max(0, Limit.Limit - Used);
}

/// <summary>The answer for a request: allowed (every limit had room; each now counts it) or refused by <see cref="RefusedBy"/> (no limit counted it).</summary>
public sealed record RateDecision(IReadOnlyList<RateLimitState> States, RateLimitState? RefusedBy)
{
    public bool Allowed => RefusedBy is null;

    /// <summary>The state the X-RateLimit-* headers describe: the refusing limit, else the one with the least room left.</summary>
    public RateLimitState? Tightest
    {
        get
        {
            // Asked on every API request for its headers: a plain loop rather than a sort.
            if (RefusedBy is not null) return RefusedBy;
            RateLimitState? tightest = null;
            foreach (var state in States)
                if (tightest is null || state.Remaining < tightest.Remaining
                    || (state.Remaining == tightest.Remaining && state.ResetsAt < tightest.ResetsAt))
                    tightest = state;
            return tightest;
        }
    }
}
