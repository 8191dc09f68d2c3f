namespace Nexus.Shared.RateLimits;

/// <summary>Leasing ahead: a large limit's next slice is leased before this node runs out of it.</summary>
public sealed partial class RateCounters
{
    // Background leases in flight, by bucket: at most one per bucket at a time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _topUps = new();

    /// <summary>
    /// The slice a lease adds: 1 % of the limit and of the room left, at least 1 and at most
    /// <see cref="MaxSlice"/> (the formula <c>nx_rate_lease</c> uses, for <see cref="RateLedger.LowWater"/>).
    /// </summary>
    public static int SliceFor(int limit, int room) => Math.Clamp(Math.Min(limit, room) / SliceDivisor, 1, MaxSlice);

    /// <summary>
    /// Leases the next slice of the limits running low before any request needs it, off the
    /// request path. The function is asked for one request's worth with nothing held, which grants
    /// each limit a whole slice (never past its room); no unit is spent, all go to memory. Best
    /// effort: if it fails, requests lease for themselves as before.
    /// </summary>
    private void TopUp(IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimed = _ledger.RunningLow(limits, now).OrderBy(l => l.Bucket, StringComparer.Ordinal)
            .Where(l => _topUps.TryAdd(l.Bucket, done.Task)).ToArray();
        if (claimed.Length == 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var lease = await _db.LeaseAsync(claimed, new int[claimed.Length], 1, now);
                for (var i = 0; i < claimed.Length; i++)
                    if (lease.Counts[i] >= claimed[i].Limit) Remember(claimed[i], now);
                if (lease.Admitted > 0) _ledger.Settle(claimed, now, lease.Grants, [.. lease.Counts.Select(c => (int?)c)], admitted: 0);
            }
            catch (Exception)
            {
                // Nothing was taken from memory; the requests that run out lease for themselves.
            }
            finally
            {
                foreach (var limit in claimed) _topUps.TryRemove(new(limit.Bucket, done.Task));
                done.TrySetResult();
            }
        });
    }

    /// <summary>Waits for the background leases in flight (tests, and graceful shutdown before giving units back).</summary>
    public Task TopUpsAsync() => Task.WhenAll(_topUps.Values);
}
