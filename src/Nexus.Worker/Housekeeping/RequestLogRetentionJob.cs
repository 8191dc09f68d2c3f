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

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await Batches.DeleteAsync(ct => RequestLogRetention.DeleteBatchAsync(store, db, now, BatchSize, ct), BatchSize, log, "request logs past retention", cancellationToken);
    }
}
