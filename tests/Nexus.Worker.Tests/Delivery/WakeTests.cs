using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>A committed event wakes the worker through LISTEN/NOTIFY, without waiting for a tick.</summary>
public sealed class WakeTests(DeliveryWorld<WakeTests> world) : IClassFixture<DeliveryWorld<WakeTests>>
{
    [Fact]
    public async Task An_event_committed_while_the_worker_is_idle_is_delivered_at_once()
    {
        await using var receiver = await Receiver.StartAsync();
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        await world.HostedEngineAsync(TimeProvider.System); // no Quartz tick here: only a notification can wake it

        await world.PublishAsync(endpoint.OrgId, TimeProvider.System);
        await receiver.WaitForAsync(r => r.Count == 1, TimeSpan.FromSeconds(10)); // listening by now
        var (second, _) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);
        var received = await receiver.WaitForAsync(r => r.Count == 2, TimeSpan.FromSeconds(5));

        Assert.Equal(second.Id, received[1].Header("webhook-id"));
    }
}
