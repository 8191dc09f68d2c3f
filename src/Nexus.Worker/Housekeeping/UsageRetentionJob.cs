using Marten;
using Npgsql;
using Nexus.Shared.Usage;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes hourly usage records older than <see cref="UsageRetention.KeepFor"/>, in batches.</summary>
[DisallowConcurrentExecution]
public sealed class UsageRetentionJob(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, ILogger<UsageRetentionJob> log) : IJob
{
    public static readonly JobKey Key = new("usage-retention");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 5_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - UsageRetention.KeepFor;
        await Batches.DeleteAsync(ct => UsageRetention.DeleteBatchAsync(store, db, cutoff, BatchSize, ct), BatchSize, log, "usage records past retention", cancellationToken);
    }
}
