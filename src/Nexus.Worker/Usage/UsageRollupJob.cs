using Marten;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Quartz;

namespace Nexus.Worker.Usage;

/// <summary>
/// Every minute, recomputes the usage records of the current and the previous hour from the
/// request logs. Recomputing whole hours (rather than adding increments) makes a run safe to
/// repeat or to overlap with another worker: the last writer stores the same numbers.
/// </summary>
[DisallowConcurrentExecution]
public sealed class UsageRollupJob(IDocumentStore store, TimeProvider clock, ILogger<UsageRollupJob> log) : IJob
{
    public static readonly JobKey Key = new("usage-rollup");
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Hours recomputed per run: the current one and the one before (logs land a moment after their request).</summary>
    public const int Hours = 2;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await RollAsync(clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Usage rollup failed; the next run recomputes the same hours");
        }
    }

    public async Task RollAsync(DateTimeOffset now, CancellationToken ct)
    {
        var from = UsageRecord.HourOf(now).AddHours(1 - Hours);
        var to = UsageRecord.HourOf(now).AddHours(1);
        await using var session = store.LightweightSession();
        var logs = await session.Query<RequestLog>().Where(l => l.At >= from && l.At < to).ToListAsync(ct);
        var records = UsageRollup.Roll(logs);
        if (records.Count == 0) return;
        session.Store(records.ToArray());
        await session.SaveChangesAsync(ct);
    }
}
