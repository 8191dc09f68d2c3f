using Marten;
using Npgsql;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// Writes queued request logs in batches (<see cref="RequestLogCopy"/>: binary COPY, committed
/// asynchronously), off the request path, each batch with the usage it adds
/// (<see cref="UsageIncrement"/>) in the same transaction. On graceful shutdown it writes whatever
/// is still queued.
/// </summary>
public sealed class RequestLogWriter(RequestLogQueue queue, IDocumentStore store, NpgsqlDataSource db, IConfiguration config, ILogger<RequestLogWriter> log) : BackgroundService
{
    public const int MaxBatch = 1000;

    /// <summary>
    /// How long the writer lets entries gather after the first one arrives (default 50 ms, setting
    /// <see cref="GatherDelaySetting"/>). Each batch is one transaction: without the wait, a busy
    /// node wrote a handful of rows per transaction, because every batch began the moment one
    /// request found the writer idle. Shorter waits were tried since batches commit asynchronously
    /// (<see cref="RequestLogCopy"/>): 10 ms looked better switched between slices of one process,
    /// but three full bench runs with it added 5.6–9.1 ms to the half-load p99 against 2.7–3.1 with
    /// 50 (bench/HISTORY.md, 2026-11-25 15:20). Logs appear this much later, never more.
    /// </summary>
    public const string GatherDelaySetting = "Nexus:RequestLogs:GatherMilliseconds";
    private readonly TimeSpan _gatherDelay = TimeSpan.FromMilliseconds(Math.Clamp(config.GetValue(GatherDelaySetting, 50), 0, 1000));
    private readonly SemaphoreSlim _writing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Real time, not the app's TimeProvider: a test's frozen clock must not stop the writer.
                if (queue.Reader.Count < MaxBatch) await Task.Delay(_gatherDelay, stoppingToken);
                await FlushAsync(CancellationToken.None, untilEmpty: false);
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes everything queued so far, in batches of at most <see cref="MaxBatch"/>.</summary>
    public Task FlushAsync(CancellationToken ct) => FlushAsync(ct, untilEmpty: true);

    /// <summary>
    /// Without <paramref name="untilEmpty"/> it stops after the first batch that was not full, so
    /// the entries that arrived while that batch was being written gather for their own delay
    /// instead of going out a few at a time in a commit each.
    /// </summary>
    private async Task FlushAsync(CancellationToken ct, bool untilEmpty)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var batch = new List<RequestLog>(MaxBatch);
            while (true)
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var entry)) batch.Add(entry);
                if (batch.Count == 0) return;
                try
                {
                    // One transaction: a batch is counted in usage exactly when it is logged.
                    await RequestLogCopy.WriteAsync(store, db, batch, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Losing a batch of logs must never take requests down; say how many were lost.
                    log.LogError(e, "Could not write {Count} request logs", batch.Count);
                }
                if (!untilEmpty && batch.Count < MaxBatch) return;
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
