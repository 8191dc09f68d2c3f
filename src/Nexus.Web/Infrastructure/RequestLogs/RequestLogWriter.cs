using Marten;
using Nexus.Shared.RequestLogs;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// Writes queued request logs in batches with Marten's bulk insert (PostgreSQL COPY), off the
/// request path. On graceful shutdown it writes whatever is still queued.
/// </summary>
public sealed class RequestLogWriter(RequestLogQueue queue, IDocumentStore store, ILogger<RequestLogWriter> log) : BackgroundService
{
    public const int MaxBatch = 1000;

    /// <summary>
    /// How long the writer lets entries gather after the first one arrives. Each batch is one
    /// transaction, and its commit (a WAL flush) costs the database as much as many rows: without
    /// the wait, a busy node wrote a handful of rows per commit, because every batch began the
    /// moment one request found the writer idle. Logs appear this much later, never more.
    /// </summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(50);
    private readonly SemaphoreSlim _writing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Real time, not the app's TimeProvider: a test's frozen clock must not stop the writer.
                if (queue.Reader.Count < MaxBatch) await Task.Delay(GatherDelay, stoppingToken);
                await FlushAsync(CancellationToken.None);
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
    public async Task FlushAsync(CancellationToken ct)
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
                    await store.BulkInsertDocumentsAsync(batch, cancellation: ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Losing a batch of logs must never take requests down; say how many were lost.
                    log.LogError(e, "Could not write {Count} request logs", batch.Count);
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
