using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes dashboard sessions that ended, or were last seen, more than 30 days ago, in batches. Active ones are never touched.</summary>
[DisallowConcurrentExecution]
public sealed class SessionCleanupJob(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, ILogger<SessionCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("session-cleanup");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 1_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - InactiveSessions.KeepFor;
        await Batches.DeleteAsync(ct => InactiveSessions.DeleteBatchAsync(store, db, cutoff, BatchSize, ct), BatchSize, log, "inactive sessions", cancellationToken);
    }
}
