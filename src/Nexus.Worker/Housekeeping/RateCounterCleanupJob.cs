using Nexus.Shared.RateLimits;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>Deletes rate-limit windows that ended long ago (nothing reads them after their window), in batches.</summary>
[DisallowConcurrentExecution]
public sealed class RateCounterCleanupJob(RateCounters counters, TimeProvider clock, ILogger<RateCounterCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("rate-counter-cleanup");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Day windows are the longest; anything older than two days is finished.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(2);
    public const int BatchSize = 10_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - KeepFor;
        var total = 0;
        try
        {
            int deleted;
            do
            {
                deleted = await counters.DeleteOldAsync(cutoff, BatchSize, cancellationToken);
                total += deleted;
            } while (deleted == BatchSize);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Rate counter cleanup stopped after {Count} rows; the next run continues", total);
        }
    }
}
