using Nexus.Shared.Webhooks;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>
/// Fills the mode column of webhook deliveries written before it existed (<see cref="DeliveryModeColumn"/>),
/// a batch at a time, up to 200,000 a minute.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeliveryModeFillJob(DeliveryModeColumn column, ILogger<DeliveryModeFillJob> log) : IJob
{
    public static readonly JobKey Key = new("delivery-mode-fill");
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    public const int BatchSize = 1_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Not FilledAsync, which stays true once seen: a node of an older version may still write rows
        // without the column during a rolling upgrade. A batch that finds none reads an empty index.
        await Batches.RunAsync(ct => column.FillBatchAsync(BatchSize, ct), BatchSize, log, "Filling in the mode of", "Filled in the mode of",
            "webhook deliveries written before the mode column", cancellationToken);
    }
}
