using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>Several workers on one queue: every delivery exactly once, nothing left claimed, and a lost lease records nothing.</summary>
public sealed class RaceTests(DeliveryWorld<RaceTests> world) : IClassFixture<DeliveryWorld<RaceTests>>
{
    [Fact]
    public async Task Two_engines_racing_over_thousands_of_deliveries_send_each_exactly_once_and_leave_nothing_claimed()
    {
        await using var receiver = await Receiver.StartAsync();
        var endpoints = new List<WebhookEndpoint>();
        for (var i = 0; i < 10; i++) endpoints.Add(await world.NewEndpointAsync(receiver.Url($"/e{i}")));
        var deliveries = await world.QueueManyAsync(endpoints, 200, TimeProvider.System);
        var (first, second) = (world.Engine(TimeProvider.System), world.Engine(TimeProvider.System));

        await Task.WhenAll(Task.Run(() => first.RunUntilIdleAsync()), Task.Run(() => second.RunUntilIdleAsync()));

        Assert.Equal(2000, deliveries.Count);
        var received = receiver.Requests;
        Assert.Equal(2000, received.Count);
        Assert.Equal(2000, received.Select(r => (r.Path, r.Header("webhook-id"))).Distinct().Count());
        Assert.True(first.Recorded > 0 && second.Recorded > 0, $"One engine did everything ({first.Recorded} / {second.Recorded})");
        Assert.Equal(2000, first.Recorded + second.Recorded);
        Assert.Equal(2000, await world.CountAsync("status = 'Succeeded' and next_attempt_at is null and data->>'LeaseToken' is null and jsonb_array_length(data->'Attempts') = 1"));
    }

    [Fact]
    public async Task A_worker_whose_lease_expired_cannot_record_over_the_new_owner()
    {
        await using var receiver = await Receiver.StartAsync();
        var firstArrived = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var count = 0;
        receiver.Respond = async c =>
        {
            if (Interlocked.Increment(ref count) == 1)
            {
                firstArrived.SetResult();
                await releaseFirst.Task;
                c.Response.StatusCode = 500; // the stale worker's result, which must not land
            }
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (evt, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);
        var settings = new Dictionary<string, string?> { [$"{DeliveryOptions.Section}:TimeoutSeconds"] = "20" };
        var staleClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var stale = world.Engine(staleClock, settings);
        var lease = new DeliveryOptions { TimeoutSeconds = 20 }.Lease;

        var staleRun = stale.RunUntilIdleAsync();
        await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var later = new FakeTimeProvider(staleClock.GetUtcNow() + lease + TimeSpan.FromSeconds(1));
        var owner = world.Engine(later, settings);
        await owner.RunUntilIdleAsync(); // the lease has run out: the delivery is due again and taken over
        releaseFirst.SetResult();
        await staleRun;

        Assert.Equal((0, 1L), (stale.Recorded, owner.Recorded));
        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal((DeliveryStatus.Succeeded, 200), (delivery.Status, attempt.StatusCode));
        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(evt.Id, r.Header("webhook-id")));
    }
}
