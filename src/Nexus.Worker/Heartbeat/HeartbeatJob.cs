using Marten;
using Nexus.Shared.Workers;
using Quartz;

namespace Nexus.Worker.Heartbeat;

/// <summary>Records that this worker is alive, so the dashboard can show it (and, later, so leases can be judged).</summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(IDocumentStore store, WorkerIdentity me, TimeProvider clock, ILogger<HeartbeatJob> log) : IJob
{
    public static readonly JobKey Key = new("heartbeat");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = store.LightweightSession();
            session.Store(new WorkerHeartbeat
            {
                Id = me.Id,
                StartedAt = me.StartedAt,
                LastSeenAt = clock.GetUtcNow(),
                Version = me.Version,
            });
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be briefly away; the next beat tries again.
            log.LogWarning(e, "Heartbeat failed");
        }
    }
}
