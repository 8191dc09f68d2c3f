namespace Nexus.Worker.Delivery;

/// <summary>
/// Keeps many deliveries in flight at once, bounded per worker and per endpoint, so one slow
/// receiver holds up only its own deliveries. It claims only as much as it has room for, in
/// batches, and keeps claiming while batches come back full; it is woken by the Quartz tick, by
/// the outbox's NOTIFY and by its own finished attempts. On shutdown it stops claiming, lets the
/// attempts in flight finish for a while, then cancels the rest and gives them back (due at once)
/// so another worker takes them without waiting for the lease to run out.
/// </summary>
public sealed class DeliveryEngine(
    DeliveryQueue queue, DeliveryRecorder recorder, DeliveryAttempter attempter, EndpointHealth health,
    DeliveryOptions options, TimeProvider clock, ILogger<DeliveryEngine> log) : IHostedService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _busy = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new(), _abort = new();
    private TaskCompletionSource _idle = Completed();
    private int _inFlight, _wanted;
    private volatile bool _mayHaveMore = true;
    /// <summary>Attempts finished since a claim that came back short; -1 after a full one.</summary>
    private int _sinceShortClaim = -1;

    public int InFlight { get { lock (_lock) return _inFlight; } }

    /// <summary>Attempts this engine has recorded (or refused) since it started.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);
    private long _recorded;

    /// <summary>Asks for a claim round soon; returns at once. Rounds never overlap, and wakes during one make it go round again.</summary>
    public void Wake()
    {
        Volatile.Write(ref _wanted, 1);
        if (_gate.CurrentCount > 0 && !_stopping.IsCancellationRequested)
            _ = Task.Run(async () =>
            {
                try { await PumpAsync(_stopping.Token); }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
                catch (Exception e) { log.LogWarning(e, "Claiming webhook deliveries failed; the next tick tries again"); }
            });
    }

    /// <summary>Claims due deliveries while there is room and they keep coming (the Quartz tick awaits this); skips when a round is running.</summary>
    public async Task PumpAsync(CancellationToken ct)
    {
        if (!await _gate.WaitAsync(0, ct))
        {
            Volatile.Write(ref _wanted, 1);
            return;
        }
        try
        {
            do
            {
                Volatile.Write(ref _wanted, 0);
                await ClaimWhileRoomAsync();
            } while (Volatile.Read(ref _wanted) == 1 && !_stopping.IsCancellationRequested);
        }
        finally { _gate.Release(); }
        if (Volatile.Read(ref _wanted) == 1) Wake();
    }

    /// <summary>For tests: claims and waits until nothing due is left and nothing is in flight.</summary>
    internal async Task RunUntilIdleAsync(CancellationToken ct = default)
    {
        while (true)
        {
            int claimed;
            await _gate.WaitAsync(ct);
            try { claimed = await ClaimWhileRoomAsync(); }
            finally { _gate.Release(); }
            if (claimed == 0 && InFlight == 0) return;
            await WhenIdleAsync();
        }
    }

    internal Task WhenIdleAsync() { lock (_lock) return _idle.Task; }

    private int RefillAt => Math.Max(1, Math.Min(options.BatchSize, options.Concurrency) / 4);
    private int EndpointRefillAt => Math.Max(1, options.ConcurrencyPerEndpoint / 2);

    private async Task<int> ClaimWhileRoomAsync()
    {
        var total = 0;
        while (!_stopping.IsCancellationRequested)
        {
            int room, inFlight;
            EndpointRoom[] busy;
            lock (_lock)
            {
                inFlight = _inFlight;
                room = options.Concurrency - inFlight;
                busy = _busy.Select(b => new EndpointRoom(b.Key, options.ConcurrencyPerEndpoint - b.Value)).ToArray();
            }
            // While attempts are in flight, claim only once a quarter of the room is free: every claim is a
            // round trip, and claiming a row or two after each finished attempt would cost one per delivery.
            if (room <= 0 || (inFlight > 0 && room < RefillAt)) return total;
            var want = Math.Min(room, options.BatchSize);
            // Not cancellable: a claim cancelled after it committed would strand its rows until their lease ends.
            var claimed = await queue.ClaimAsync(want, options.ConcurrencyPerEndpoint, busy, options.Lease, clock.GetUtcNow(), CancellationToken.None);
            // Finished attempts free room: worth another claim while anything was found or this worker holds endpoints back.
            _mayHaveMore = claimed.Count > 0 || busy.Length > 0;
            Volatile.Write(ref _sinceShortClaim, claimed.Count < want ? 0 : -1);
            if (claimed.Count == 0) return total;
            total += claimed.Count;
            Dispatch(claimed);
            if (claimed.Count < want) return total;
        }
        return total;
    }

    private void Dispatch(IReadOnlyList<ClaimedDelivery> claimed)
    {
        foreach (var c in claimed)
        {
            lock (_lock)
            {
                if (_inFlight++ == 0) _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _busy[c.Delivery.EndpointId] = _busy.GetValueOrDefault(c.Delivery.EndpointId) + 1;
            }
            _ = Task.Run(() => ProcessAsync(c));
        }
    }

    private async Task ProcessAsync(ClaimedDelivery claimed)
    {
        var delivery = claimed.Delivery;
        try
        {
            var effect = await attempter.AttemptAsync(delivery, claimed.Event, claimed.Body, claimed.Endpoint, _abort.Token);
            if (!await recorder.RecordAsync(claimed))
            {
                log.LogWarning("Lease on delivery {DeliveryId} was lost to another worker; this attempt's result is discarded", delivery.Id);
                return;
            }
            Interlocked.Increment(ref _recorded);
            if (effect != EndpointEffect.None) await health.ApplyAsync(effect, delivery.EndpointId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            await ReleaseAsync(claimed);
        }
        catch (Exception e)
        {
            // Left claimed: it falls due again when the lease ends, which also paces a delivery that keeps failing this way.
            log.LogError(e, "Delivery {DeliveryId} could not be attempted or recorded; it is retried when its lease ends", delivery.Id);
        }
        finally
        {
            bool idle, roomForAClaim;
            lock (_lock)
            {
                var left = _busy[delivery.EndpointId] - 1;
                if (left == 0) _busy.Remove(delivery.EndpointId);
                else _busy[delivery.EndpointId] = left;
                idle = --_inFlight == 0;
                if (idle) _idle.TrySetResult();
                roomForAClaim = options.Concurrency - _inFlight >= RefillAt;
            }
            // A claim round would return at once without the room for one (see ClaimWhileRoomAsync): skip the wake.
            if (_mayHaveMore && (idle || (roomForAClaim && WorthAClaim()))) Wake();
        }
    }

    /// <summary>
    /// After a claim that came back short, what is still due waits at endpoints this worker has full (one busy
    /// endpoint, say): a claim after every finished attempt would fetch those one row per round trip, so the
    /// next one waits until half an endpoint's room could have come free.
    /// </summary>
    private bool WorthAClaim() =>
        Volatile.Read(ref _sinceShortClaim) < 0 || Interlocked.Increment(ref _sinceShortClaim) >= EndpointRefillAt;

    private async Task ReleaseAsync(ClaimedDelivery claimed)
    {
        try { await queue.ReleaseAsync(claimed, CancellationToken.None); }
        catch (Exception e) { log.LogWarning(e, "Could not release delivery {DeliveryId}; it falls due when its lease ends", claimed.Delivery.Id); }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Graceful shutdown: no new claims; in-flight attempts finish within the grace, the rest are cancelled and released.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var idle = WhenIdleAsync();
        var grace = TimeSpan.FromSeconds(options.ShutdownGraceSeconds);
        if (await Task.WhenAny(idle, Task.Delay(grace, cancellationToken).ContinueWith(_ => { })) != idle)
        {
            log.LogWarning("{Count} webhook deliveries still in flight after {Grace} s; cancelling and releasing them", InFlight, grace.TotalSeconds);
            await _abort.CancelAsync();
            await Task.WhenAny(idle, Task.Delay(TimeSpan.FromSeconds(5))); // releases are quick database updates
        }
        await recorder.DisposeAsync();
    }

    private static TaskCompletionSource Completed()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.SetResult();
        return idle;
    }
}
