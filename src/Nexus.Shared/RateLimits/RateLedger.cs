namespace Nexus.Shared.RateLimits;

/// <summary>
/// The units of budget this node has leased from the shared counters and not used yet, per
/// bucket and window (a slice of one window never serves another: it expires with its window).
/// A request takes one unit of every limit it is under, all or none, under one lock, so admitting
/// from memory is exact on this node; the database only ever hands out units that fit under the
/// limit, so across nodes no limit can be passed.
/// </summary>
internal sealed class RateLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Bucket, DateTimeOffset WindowStart), Slice> _slices = [];
    private DateTimeOffset _nextSweep;

    private sealed class Slice(DateTimeOffset ends)
    {
        public readonly DateTimeOffset Ends = ends;

        /// <summary>Units leased by this node and not used yet.</summary>
        public int Left;

        /// <summary>The shared counter (units leased by every node) as of this node's last lease.</summary>
        public int Leased;
    }

    /// <summary>
    /// One unit of every limit from memory, or null (nothing taken) when some limit has none here.
    /// <paramref name="runningLow"/> says this take brought some limit's units down to its
    /// low-water mark (<see cref="LowWater"/>): time to lease its next slice in the background.
    /// </summary>
    public RateDecision? TryTake(IReadOnlyList<RateLimit> limits, DateTimeOffset now, out bool runningLow)
    {
        runningLow = false;
        lock (_gate)
        {
            var slices = new Slice[limits.Count];
            for (var i = 0; i < limits.Count; i++)
                if (!_slices.TryGetValue(Key(limits[i], now), out slices[i]!) || slices[i].Left == 0) return null;
            var decision = TakeOne(limits, slices, now);
            for (var i = 0; i < limits.Count; i++)
                runningLow |= slices[i].Left == LowWater(limits[i], slices[i].Leased);
            return decision;
        }
    }

    /// <summary>The limits whose units here are at or below their low-water mark.</summary>
    public List<RateLimit> RunningLow(IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        lock (_gate)
            return [.. limits.Where(l => _slices.TryGetValue(Key(l, now), out var slice) && slice.Left <= LowWater(l, slice.Leased))];
    }

    /// <summary>
    /// When a limit's units here run down to a quarter of a slice, its next slice is leased ahead
    /// of need, so requests rarely wait for the database. Only while a slice is more than one unit
    /// and the window has room for ten more slices: small limits, and the last units of a window,
    /// are still leased only for requests that are waiting, so a limit is reached exactly.
    /// Returns -1 (never) otherwise.
    /// </summary>
    public static int LowWater(RateLimit limit, int leased)
    {
        var room = limit.Limit - leased;
        var slice = RateCounters.SliceFor(limit.Limit, room);
        return slice > 1 && room >= 10 * slice ? slice / 4 : -1;
    }

    /// <summary>Units of this limit's current window this node holds.</summary>
    public int Left(RateLimit limit, DateTimeOffset now)
    {
        lock (_gate) return _slices.TryGetValue(Key(limit, now), out var slice) ? slice.Left : 0;
    }

    /// <summary>The limit's current window as this node knows it, taking nothing (see <see cref="RateCounters.Peek"/>).</summary>
    public RateLimitState Peek(RateLimit limit, DateTimeOffset now)
    {
        lock (_gate)
            return _slices.TryGetValue(Key(limit, now), out var slice)
                ? new RateLimitState(limit, slice.Leased - slice.Left, slice.Ends)
                : new RateLimitState(limit, 0, limit.WindowEnd(now));
    }

    /// <summary>Takes up to <paramref name="requests"/> units of each limit out of memory for a batch, which settles them with <see cref="Settle"/>.</summary>
    public int[] Reserve(IReadOnlyList<RateLimit> limits, DateTimeOffset now, int requests)
    {
        var held = new int[limits.Count];
        lock (_gate)
            for (var i = 0; i < limits.Count; i++)
                if (_slices.TryGetValue(Key(limits[i], now), out var slice))
                {
                    held[i] = Math.Min(slice.Left, requests);
                    slice.Left -= held[i];
                }
        return held;
    }

    /// <summary>
    /// Ends a batch: puts its <paramref name="units"/> of each limit (held plus newly leased) back
    /// in memory, records the shared counts a lease returned (null where none was asked), and then
    /// takes one unit of every limit for each of the <paramref name="admitted"/> first requests.
    /// </summary>
    public RateDecision[] Settle(IReadOnlyList<RateLimit> limits, DateTimeOffset now, int[] units, int?[] counts, int admitted)
    {
        lock (_gate)
        {
            if (now >= _nextSweep) Sweep(now);
            var slices = new Slice[limits.Count];
            for (var i = 0; i < limits.Count; i++)
            {
                var key = Key(limits[i], now);
                if (!_slices.TryGetValue(key, out slices[i]!)) _slices[key] = slices[i] = new Slice(limits[i].WindowEnd(now));
                slices[i].Left += units[i];
                if (counts[i] is { } count) slices[i].Leased = Math.Max(slices[i].Leased, count);
            }
            var decisions = new RateDecision[admitted];
            for (var k = 0; k < admitted; k++) decisions[k] = TakeOne(limits, slices, now);
            return decisions;
        }
    }

    /// <summary>Empties memory of every unit not used yet in windows that have not ended, for giving them back.</summary>
    public List<(string Bucket, DateTimeOffset WindowStart, int Units)> DrainUnused(DateTimeOffset now)
    {
        lock (_gate)
        {
            var unused = _slices.Where(s => s.Value.Ends > now && s.Value.Left > 0)
                .Select(s => (s.Key.Bucket, s.Key.WindowStart, s.Value.Left))
                .OrderBy(s => s.Bucket, StringComparer.Ordinal).ThenBy(s => s.WindowStart)
                .ToList();
            _slices.Clear();
            return unused;
        }
    }

    // Remaining as this node knows it: the limit, less what every node has leased, plus what this node still holds.
    private static RateDecision TakeOne(IReadOnlyList<RateLimit> limits, Slice[] slices, DateTimeOffset now)
    {
        var states = new RateLimitState[limits.Count];
        for (var i = 0; i < limits.Count; i++)
        {
            slices[i].Left--;
            states[i] = new RateLimitState(limits[i], slices[i].Leased - slices[i].Left, slices[i].Ends);
        }
        return new RateDecision(states, null);
    }

    /// <summary>Forgets slices of ended windows (at most once a minute): their units expired with them.</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, slice) in _slices)
            if (slice.Ends <= now) _slices.Remove(key);
        _nextSweep = now + TimeSpan.FromMinutes(1);
    }

    private static (string, DateTimeOffset) Key(RateLimit limit, DateTimeOffset now) => (limit.Bucket, limit.WindowStart(now));
}
