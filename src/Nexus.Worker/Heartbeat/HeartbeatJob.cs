using Marten;
using Nexus.Shared.Workers;
using Quartz;

namespace Nexus.Worker.Heartbeat;

/// <summary>
/// Records that this worker is alive, so the dashboard can show it, and forgets workers gone for
/// longer than <see cref="WorkerHeartbeat.ForgetAfter"/>. The table holds one row per worker process
/// started in the last day, so the delete is a scan of a few rows, not a job of its own.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(IDocumentStore store, WorkerIdentity me, TimeProvider clock, ILogger<HeartbeatJob> log) : IJob
{
    public static readonly JobKey Key = new("heartbeat");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var now = clock.GetUtcNow();
            var forgetBefore = now - WorkerHeartbeat.ForgetAfter;
            await using var session = store.LightweightSession();
            session.Store(new WorkerHeartbeat
            {
                Id = me.Id,
                StartedAt = me.StartedAt,
                LastSeenAt = now,
                Version = me.Version,
            });
            session.DeleteWhere<WorkerHeartbeat>(h => h.LastSeenAt < forgetBefore);
            await session.SaveChangesAsync(cancellationToken);
            if (me.FirstReport())
                log.LogInformation("Worker {Id} (version {Version}) reports as {Tag} on the dashboard", me.Id, me.Version, WorkerHeartbeat.TagOf(me.Id));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be briefly away; the next beat tries again.
            log.LogWarning(e, "Heartbeat failed");
        }
    }
}
