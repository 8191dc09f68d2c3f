using System.Collections.Concurrent;

namespace Nexus.Shared.RateLimits;

/// <summary>Leasing for a batch: requests short of units here are decided together, one database call a batch.</summary>
public sealed partial class RateCounters
{
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
}
