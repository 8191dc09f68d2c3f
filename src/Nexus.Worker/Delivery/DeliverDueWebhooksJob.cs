using Quartz;

namespace Nexus.Worker.Delivery;

/// <summary>
/// The heartbeat of delivery: every poll interval, claims what has fallen due without a
/// notification (scheduled retries, expired leases of dead workers). Quartz ticks the batch-claiming
/// engine; it never holds one job per delivery.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeliverDueWebhooksJob(DeliveryEngine engine, ILogger<DeliverDueWebhooksJob> log) : IJob
{
    public static readonly JobKey Key = new("deliver-due-webhooks");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await engine.PumpAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be briefly away; the next tick tries again.
            log.LogWarning(e, "Claiming webhook deliveries failed");
        }
    }
}
