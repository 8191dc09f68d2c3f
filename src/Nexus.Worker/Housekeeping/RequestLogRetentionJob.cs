using Marten;
using Npgsql;
using Nexus.Shared.RequestLogs;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes request logs past their org's retention, in batches, a bounded amount per run.</summary>
[DisallowConcurrentExecution]
public sealed class RequestLogRetentionJob(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, ILogger<RequestLogRetentionJob> log) : IJob
{
    public static readonly JobKey Key = new("request-log-retention");
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    public const int BatchSize = 5_000;

    /// <summary>At most this many batches per run, so one run cannot keep the database busy for long; the next run continues.</summary>
    public const int MaxBatchesPerRun = 200;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = 0;
        try
        {
            for (var i = 0; i < MaxBatchesPerRun; i++)
            {
                var deleted = await RequestLogRetention.DeleteBatchAsync(store, db, now, BatchSize, cancellationToken);
                total += deleted;
                if (deleted < BatchSize) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Request log retention stopped after deleting {Count} logs; the next run continues", total);
            return;
        }
        if (total > 0) log.LogInformation("Deleted {Count} request logs past retention", total);
    }
}
