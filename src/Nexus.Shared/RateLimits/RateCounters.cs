using System.Collections.Concurrent;
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

    // Windows this node has seen leased out in full. Within its window a count only goes down
    // when a node gives back its unused units on shutdown, so such a window can be refused from
    // memory (once this node's own units are spent) until it ends: a client hammering past its
    // limit then costs no query and takes no row lock that admitted requests would wait behind.
    private readonly ConcurrentDictionary<(string Bucket, DateTimeOffset WindowStart), DateTimeOffset> _full = new();

    // Requests that must lease for the same counters (same buckets, windows and limits) are
    // taken together, like a group commit: while one call is at the database, the requests that
    // arrive queue, and the next call leases for all of them at once.
    private readonly ConcurrentDictionary<string, Group> _groups = new();

    private sealed class Group(IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        public readonly Lock Gate = new();
        public readonly List<TaskCompletionSource<RateDecision>> Queue = [];
        public readonly IReadOnlyList<RateLimit> Limits = limits;
        public readonly DateTimeOffset Now = now;
        public bool Busy;
    }

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

    /// <summary>Serves the group's queue in batches until it is empty, then retires the group.</summary>
    private async Task LeadAsync(string signature, Group group, bool inline)
    {
        for (var round = 0; ; round++)
        {
            List<TaskCompletionSource<RateDecision>> batch;
            lock (group.Gate)
            {
                if (group.Queue.Count == 0)
                {
                    group.Busy = false;
                    _groups.TryRemove(new(signature, group));
                    return;
                }
                if (inline && round > 0)
                {
                    // Still leading (Busy stays set): hand the rest to the pool and let this request go.
                    _ = Task.Run(() => LeadAsync(signature, group, inline: false));
                    return;
                }
                batch = [.. group.Queue];
                group.Queue.Clear();
            }

            try
            {
                var decisions = await TakeBatchAsync(group.Limits, group.Now, batch.Count);
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(decisions[i]);
            }
            catch (Exception e)
            {
                foreach (var waiter in batch) waiter.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// Decides <paramref name="wanted"/> requests with the same limits: the units this node holds
    /// are reserved for them, the limits short of units lease in one database call, the first
    /// requests get what fits, the rest are refused, and leftovers go back to memory.
    /// </summary>
    private async Task<RateDecision[]> TakeBatchAsync(IReadOnlyList<RateLimit> ordered, DateTimeOffset now, int wanted)
    {
        var units = _ledger.Reserve(ordered, now, wanted);
        var counts = new int?[ordered.Count];
        var shortOf = Enumerable.Range(0, ordered.Count).Where(i => units[i] < wanted).ToArray();
        var (admitted, tightest) = (wanted, ordered[0]);
        try
        {
            var full = Array.FindIndex(shortOf, i => _full.ContainsKey(Key(ordered[i], now)));
            if (full >= 0)
            {
                // Leased out in full: the units held here are all that is left of it, no call needed.
                (admitted, tightest) = (shortOf.Min(i => units[i]), ordered[shortOf[full]]);
            }
            else if (shortOf.Length > 0)
            {
                var lease = await _db.LeaseAsync([.. shortOf.Select(i => ordered[i])], [.. shortOf.Select(i => units[i])], wanted, now);
                (admitted, tightest) = (lease.Admitted, ordered[shortOf[lease.Tightest]]);
                for (var j = 0; j < shortOf.Length; j++)
                {
                    var i = shortOf[j];
                    units[i] += lease.Grants[j];
                    counts[i] = lease.Counts[j];
                    if (lease.Counts[j] >= ordered[i].Limit) Remember(ordered[i], now);
                }
            }
        }
        catch
        {
            _ledger.Settle(ordered, now, units, counts, admitted: 0); // the reserved units stay this node's
            throw;
        }

        var decisions = new RateDecision[wanted];
        _ledger.Settle(ordered, now, units, counts, admitted).CopyTo(decisions, 0);
        for (var k = admitted; k < wanted; k++) decisions[k] = Refuse(ordered, tightest, now);
        return decisions;
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

    /// <summary>True when this node has seen the limit's current window leased out in full and holds no unit of it (no query).</summary>
    public bool IsFull(RateLimit limit, DateTimeOffset now) => _full.ContainsKey(Key(limit, now)) && _ledger.Left(limit, now) == 0;

    private static (string, DateTimeOffset) Key(RateLimit limit, DateTimeOffset now) => (limit.Bucket, limit.WindowStart(now));

    private static RateDecision Refuse(IReadOnlyList<RateLimit> limits, RateLimit refused, DateTimeOffset now)
    {
        // The other limits' counts are not known here and were not spent; only the refusing one is reported.
        var states = limits.Select(l => new RateLimitState(l, l == refused ? l.Limit : 0, l.WindowEnd(now))).ToList();
        return new RateDecision(states, states.First(s => s.Limit == refused));
    }

    private void Remember(RateLimit limit, DateTimeOffset now)
    {
        if (_full.Count > 10_000)
            foreach (var (entry, ends) in _full)
                if (ends <= now) _full.TryRemove(entry, out _);
        _full[Key(limit, now)] = limit.WindowEnd(now);
    }
}
