using System.Threading.Channels;

namespace Nexus.Worker.Delivery;

/// <summary>
/// Writes finished attempts in batches, group-commit style: while one batch is being written,
/// the results that finish meanwhile queue up and go together in the next round trip. Many
/// deliveries finishing at once (a fast receiver) cost one database call, not one each.
/// The queue never holds more than the worker has in flight.
/// </summary>
public sealed class DeliveryRecorder : IAsyncDisposable
{
    private const int MaxBatch = 100;
    private readonly DeliveryQueue _queue;
    private readonly ILogger<DeliveryRecorder> _log;
    private readonly Channel<(ClaimedDelivery Claimed, TaskCompletionSource<bool> Done)> _pending =
        Channel.CreateUnbounded<(ClaimedDelivery, TaskCompletionSource<bool>)>(new() { SingleReader = true });
    private readonly Task _loop;

    public DeliveryRecorder(DeliveryQueue queue, ILogger<DeliveryRecorder> log)
    {
        _queue = queue;
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
                var recorded = await _queue.RecordAsync(batch.Select(b => b.Claimed).ToList(), CancellationToken.None);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(recorded[i]);
            }
            catch (Exception e) when (batch.Count > 1)
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
                batch[0].Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }
}
