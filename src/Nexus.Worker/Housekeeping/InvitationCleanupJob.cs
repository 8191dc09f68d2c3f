using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes invitations accepted, revoked or expired more than 30 days ago, in batches. Pending ones are never touched.</summary>
[DisallowConcurrentExecution]
public sealed class InvitationCleanupJob(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, ILogger<InvitationCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("invitation-cleanup");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 1_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - FinishedInvitations.KeepFor;
        await Batches.DeleteAsync(ct => FinishedInvitations.DeleteBatchAsync(store, db, cutoff, BatchSize, ct), BatchSize, log, "finished invitations", cancellationToken);
    }
}
