using Nexus.Shared.RateLimits;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes rate-limit windows that ended long ago (nothing reads them after their window), in batches.</summary>
[DisallowConcurrentExecution]
public sealed class RateCounterCleanupJob(RateCounterDatabase counters, TimeProvider clock, ILogger<RateCounterCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("rate-counter-cleanup");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Day windows are the longest; anything older than two days is finished.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(2);
    public const int BatchSize = 10_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - KeepFor;
        await Batches.DeleteAsync(ct => counters.DeleteOldAsync(cutoff, BatchSize, ct), BatchSize, log, "finished rate-limit windows", cancellationToken);
    }
}
