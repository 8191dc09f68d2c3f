using Nexus.Shared.Idempotency;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes idempotency keys past their 24 hours, in batches. (An expired key is ignored by the API anyway; this only frees the space.)</summary>
[DisallowConcurrentExecution]
public sealed class IdempotencyCleanupJob(IdempotencyStore keys, TimeProvider clock, ILogger<IdempotencyCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("idempotency-cleanup");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 10_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await Batches.DeleteAsync(ct => keys.DeleteExpiredAsync(now, BatchSize, ct), BatchSize, log, "expired idempotency keys", cancellationToken);
    }
}
