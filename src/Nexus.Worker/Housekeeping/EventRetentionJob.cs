using Marten;
using Npgsql;
using Nexus.Shared.Webhooks;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>
/// Deletes events older than the deployment's retention (<see cref="EventRetention.DaysSetting"/>),
/// with their deliveries, in batches; when none is set (the default) it does nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class EventRetentionJob(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, EventRetentionPolicy retention, ILogger<EventRetentionJob> log) : IJob
{
    public static readonly JobKey Key = new("event-retention");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 1_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (retention.KeepFor is not { } keepFor) return;
        var cutoff = clock.GetUtcNow() - keepFor;
        await Batches.DeleteAsync(ct => EventRetention.DeleteBatchAsync(store, db, cutoff, BatchSize, ct), BatchSize, log,
            "events past retention, with their deliveries", cancellationToken);
    }
}
