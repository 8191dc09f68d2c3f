using Marten;
using Npgsql;

namespace Nexus.Shared.RateLimits;

/// <summary>
/// Rate-limit counters in PostgreSQL, so every web node spends from the same budgets, with each
/// node leasing slices of a window's budget and admitting from them in memory (<see cref="RateLedger"/>):
/// a request that finds a unit of every one of its limits here costs no query. When some limit
/// has none left here, one call of a small PL/pgSQL function leases what is needed for all of
/// them at once (for a whole batch of requests with the same limits: see <see cref="LeadAsync"/>).
/// The shared counters count leased units, and the function never leases past a limit, so no
/// limit is passed across nodes; a refused request leases and spends nothing. Slices shrink with
/// the room left (at most 1 % of the limit and of the room, at most <see cref="MaxSlice"/>), so a
/// small limit is still leased one unit at a time and units a node holds unused are never more
/// than a sliver of the budget. A large limit's next slice is leased in the background when its
/// units here run low (<see cref="RateLedger.LowWater"/>), so at a steady rate no request waits.
/// </summary>
public sealed partial class RateCounters(IDocumentStore store, NpgsqlDataSource db)
{
    public const string TableName = "nx_rate_counters";
    public const string FunctionName = "nx_rate_lease";

    /// <summary>A slice is at most the limit (and the room left) divided by this: 1 %.</summary>
    public const int SliceDivisor = 100;

    /// <summary>
    /// The largest slice leased at once, however large the limit (reached from a limit of 100,000
    /// per window). Each lease is a call of <c>nx_rate_lease</c>, a few hundred microseconds of
    /// database work, so the cap sets how often a busy client costs one: at 64, a client of a large
    /// limit cost a lease every 20 or so requests (three limits per request), more than the
    /// request's own query. The 1 % rule still bounds what a node can hold of any limit.
    /// </summary>
    public const int MaxSlice = 1_000;

    private readonly RateCounterDatabase _db = new(store, db);
    private readonly RateLedger _ledger = new();

    public async Task<RateDecision> TakeAsync(IReadOnlyList<RateLimit> limits, DateTimeOffset now, CancellationToken ct)
    {
        if (_ledger.TryTake(limits, now, out var runningLow) is { } local)
        {
            if (runningLow) TopUp(limits, now);
            return local;
        }
        foreach (var limit in limits)
            if (IsFull(limit, now))
                return Refuse(limits, limit, now);

        await _db.EnsureAsync(ct);
        var ordered = limits.OrderBy(l => l.Bucket, StringComparer.Ordinal).ToList();
        var signature = string.Join('|', ordered.Select(l => $"{l.Bucket}@{l.WindowStart(now).UtcTicks}<{l.Limit}"));
        var waiter = new TaskCompletionSource<RateDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        Group group;
        bool lead;
        while (true)
        {
            group = _groups.GetOrAdd(signature, _ => new Group(ordered, now));
            lock (group.Gate)
            {
                // A group its leader has just retired is not joined: the next loop makes a new one.
                if (!_groups.TryGetValue(signature, out var current) || current != group) continue;
                group.Queue.Add(waiter);
                lead = !group.Busy;
                group.Busy = true;
            }
            break;
        }
        // The leader takes its own batch on its own thread (no thread-pool hop when there is no
        // queue, the common case at light load); later batches, if any, continue in the background.
        if (lead) await LeadAsync(signature, group, inline: true);
        return await waiter.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Gives the units this node leased and did not use back to the shared counters (on graceful
    /// shutdown), so other nodes can use them before their windows end. Best effort: units not
    /// given back simply expire with their windows.
    /// </summary>
    public async Task ReturnUnusedAsync(DateTimeOffset now, CancellationToken ct)
    {
        await TopUpsAsync();
        var unused = _ledger.DrainUnused(now);
        if (unused.Count == 0) return;
        await _db.GiveBackAsync(unused, ct);
        foreach (var (bucket, windowStart, _) in unused) _full.TryRemove((bucket, windowStart), out _);
    }

    private static RateDecision Refuse(IReadOnlyList<RateLimit> limits, RateLimit refused, DateTimeOffset now)
    {
        // The other limits' counts are not known here and were not spent; only the refusing one is reported.
        var states = limits.Select(l => new RateLimitState(l, l == refused ? l.Limit : 0, l.WindowEnd(now))).ToList();
        return new RateDecision(states, states.First(s => s.Limit == refused));
    }
}
