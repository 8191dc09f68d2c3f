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
    private readonly SemaphoreSlim _writing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
                await FlushAsync(CancellationToken.None);
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
