using System.Diagnostics;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>The worker as a real process: killed mid-delivery, or asked to stop.</summary>
public sealed class WorkerProcessTests(DeliveryWorld<WorkerProcessTests> world) : IClassFixture<DeliveryWorld<WorkerProcessTests>>
{
    private const int LeaseSeconds = 7;

    [Fact]
    public async Task A_worker_killed_with_SIGKILL_mid_delivery_is_replaced_and_the_delivery_arrives_again_with_the_same_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        var count = 0;
        receiver.Respond = async c =>
        {
            if (Interlocked.Increment(ref count) == 1) await Task.Delay(Timeout.Infinite, c.RequestAborted); // held until its worker dies
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (evt, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);
        var settings = WorkerProcess.QuickSettings(timeoutSeconds: 4, leaseSeconds: LeaseSeconds, graceSeconds: 2);

        using (var doomed = WorkerProcess.Start(WorkerDatabase<WorkerProcessTests>.ConnectionString, world.Schema, settings))
        {
            await WaitOrExplain(receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30)), doomed);
            doomed.Kill();
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }
        var killedAt = Stopwatch.StartNew();
        using var replacement = WorkerProcess.Start(WorkerDatabase<WorkerProcessTests>.ConnectionString, world.Schema, settings);
        var before = receiver.Requests.Count; // 1, or 2 on a machine so busy that the doomed worker's own lease ran out
        var received = await WaitOrExplain(receiver.WaitForAsync(r => r.Count > before, TimeSpan.FromSeconds(30)), replacement);

        // Within the lease and a poll interval (plus the new process's start-up).
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(LeaseSeconds + 0.5 + 10), $"Redelivered after {killedAt.Elapsed}");
        Assert.All(received, r => Assert.Equal(evt.Id, r.Header("webhook-id")));
        Assert.All(received, r => Assert.Equal(received[0].Body, r.Body));
        await WaitUntilAsync(async () => (await world.DeliveryAsync(deliveries[0].Id)).Status == DeliveryStatus.Succeeded);
        Assert.Equal(0, await world.CountAsync($"endpoint_id = '{endpoint.Id}' and data->>'LeaseToken' is not null"));
        Assert.Single((await world.DeliveryAsync(deliveries[0].Id)).Attempts);
    }

    [Fact]
    public async Task On_SIGTERM_an_attempt_in_flight_finishes_and_is_recorded()
    {
        await using var receiver = await Receiver.StartAsync();
        var arrived = new TaskCompletionSource();
        receiver.Respond = async c =>
        {
            arrived.TrySetResult();
            await Task.Delay(1000, c.RequestAborted);
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        using var worker = WorkerProcess.Start(WorkerDatabase<WorkerProcessTests>.ConnectionString, world.Schema,
            WorkerProcess.QuickSettings(timeoutSeconds: 5, leaseSeconds: 30, graceSeconds: 8));
        await WaitOrExplain(arrived.Task.WaitAsync(TimeSpan.FromSeconds(30)), worker);
        worker.Terminate();

        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(15)), worker.Output);
        Assert.Equal(0, worker.ExitCode);
        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal((DeliveryStatus.Succeeded, (Guid?)null), (delivery.Status, delivery.LeaseToken));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task On_SIGTERM_an_attempt_that_outlasts_the_grace_is_released_for_another_worker_at_once()
    {
        await using var receiver = await Receiver.StartAsync();
        var arrived = new TaskCompletionSource();
        receiver.Respond = async c =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        using var worker = WorkerProcess.Start(WorkerDatabase<WorkerProcessTests>.ConnectionString, world.Schema,
            WorkerProcess.QuickSettings(timeoutSeconds: 30, leaseSeconds: 60, graceSeconds: 1));
        await WaitOrExplain(arrived.Task.WaitAsync(TimeSpan.FromSeconds(30)), worker);
        worker.Terminate();

        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(15)), worker.Output);
        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal((DeliveryStatus.Pending, (Guid?)null), (delivery.Status, delivery.LeaseToken));
        Assert.Empty(delivery.Attempts);
        Assert.True(delivery.NextAttemptAt <= DateTimeOffset.UtcNow, "Released deliveries are due at once, not at the lease's end");
    }

    /// <summary>Waits for <paramref name="task"/>, failing at once with the worker's output when the worker exits or the wait times out.</summary>
    private static async Task<T> WaitOrExplain<T>(Task<T> task, WorkerProcess worker)
    {
        await WaitOrExplain((Task)task, worker);
        return await task;
    }

    private static async Task WaitOrExplain(Task task, WorkerProcess worker)
    {
        if (await Task.WhenAny(task, worker.Exited) != task) throw new InvalidOperationException($"The worker exited ({worker.ExitCode}):\n{worker.Output}");
        try { await task; }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}\nWorker output:\n{worker.Output}"); }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(50);
        }
    }
}
