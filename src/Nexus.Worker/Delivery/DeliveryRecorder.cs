using System.Threading.Channels;
using Npgsql;

namespace Nexus.Worker.Delivery;

/// <summary>
/// Writes finished attempts in batches, group-commit style: while one batch is being written,
/// the results that finish meanwhile queue up and go together in the next round trip. Many
/// deliveries finishing at once (a fast receiver) cost one database call, not one each.
/// The queue never holds more than the worker has in flight.
/// <para>
/// While the database cannot be reached (a restart, a failover), a batch is written again, with
/// growing pauses, for as long as this worker still holds every delivery in it: the attempts were
/// made, and recording them late is better than letting the leases end, which would send each one
/// a second time. Once a lease would end first, the batch is given up as before and its deliveries
/// fall due again when their leases end.
/// </para>
/// </summary>
public sealed class DeliveryRecorder : IAsyncDisposable
{
    private const int MaxBatch = 100;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250), LongestPause = TimeSpan.FromSeconds(4);
    private readonly DeliveryQueue _queue;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeliveryRecorder> _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<(ClaimedDelivery Claimed, TaskCompletionSource<bool> Done)> _pending =
        Channel.CreateUnbounded<(ClaimedDelivery, TaskCompletionSource<bool>)>(new() { SingleReader = true });
    private readonly Task _loop;

    public DeliveryRecorder(DeliveryQueue queue, TimeProvider clock, ILogger<DeliveryRecorder> log)
    {
        _queue = queue;
        _clock = clock;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Records the delivery's new state; false when its lease was lost to another worker (nothing written).</summary>
    public Task<bool> RecordAsync(ClaimedDelivery claimed)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((claimed, done))) done.SetException(new InvalidOperationException("The recorder has stopped."));
        return done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<(ClaimedDelivery Claimed, TaskCompletionSource<bool> Done)>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                var recorded = await RecordWhileHeldAsync(batch.Select(b => b.Claimed).ToList());
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(recorded[i]);
            }
            catch (Exception e) when (batch.Count > 1 && !IsOutage(e))
            {
                // A batch is one implicit transaction: find the one that fails by writing them one at a time.
                _log.LogWarning(e, "Recording a batch of {Count} deliveries failed; recording them one by one", batch.Count);
                foreach (var (claimed, done) in batch)
                {
                    try { done.TrySetResult((await _queue.RecordAsync([claimed], CancellationToken.None))[0]); }
                    catch (Exception one) { done.TrySetException(one); }
                }
            }
            catch (Exception e)
            {
                // One delivery that cannot be written, or the database still out of reach as the leases end.
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// Writes the batch, and again after a pause each time the database is unreachable, as long as the
    /// pause ends before the first of the batch's leases does (and the recorder is not stopping).
    /// </summary>
    private async Task<bool[]> RecordWhileHeldAsync(IReadOnlyList<ClaimedDelivery> batch)
    {
        var leasesEnd = batch.Min(c => c.LeaseEnds);
        var pause = FirstPause;
        for (var failures = 0; ; failures++)
        {
            try
            {
                var recorded = await _queue.RecordAsync(batch, CancellationToken.None);
                if (failures > 0) _log.LogInformation("Recorded {Count} deliveries after {Failures} failed tries", batch.Count, failures);
                return recorded;
            }
            catch (Exception e) when (IsOutage(e) && !_stopping.IsCancellationRequested && leasesEnd - _clock.GetUtcNow() > LastTryMargin)
            {
                // Once per outage, not once per try: the database's own absence is logged by whoever notices it first.
                if (failures == 0) _log.LogWarning(e, "Could not record {Count} deliveries; trying again until their leases end", batch.Count);
            }
            // The last pause ends just before the leases do, so the last try still holds them.
            var left = leasesEnd - _clock.GetUtcNow() - LastTryMargin;
            try { await Task.Delay(pause < left ? pause : left > TimeSpan.Zero ? left : TimeSpan.Zero, _clock, _stopping.Token); }
            catch (OperationCanceledException) { }
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    /// <summary>Leaves this long of the lease for the last try's round trip.</summary>
    private static readonly TimeSpan LastTryMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The database out of reach, as opposed to a statement it refused: a failed or lost connection, or
    /// the server shutting down or still starting up (Npgsql's transient errors cover all of these).
    /// </summary>
    internal static bool IsOutage(Exception e) => e is NpgsqlException { IsTransient: true };

    /// <summary>
    /// Stops taking results, cuts short any wait for the database, and writes what is queued (one try each).
    /// Called twice (the engine on stopping, then the container); <see cref="_stopping"/> has no timer, so
    /// it is left for the collector rather than disposed under the second call.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
    }
}
