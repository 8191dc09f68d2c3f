using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>The claim query on its own: leases, and fairness between endpoints.</summary>
public sealed class QueueTests(DeliveryWorld<QueueTests> world) : IClassFixture<DeliveryWorld<QueueTests>>
{
    [Fact]
    public async Task A_claim_takes_at_most_the_room_each_endpoint_has()
    {
        var (busy, quiet, full) = (await world.NewEndpointAsync("http://127.0.0.1:9/busy"), await world.NewEndpointAsync("http://127.0.0.1:9/quiet"),
            await world.NewEndpointAsync("http://127.0.0.1:9/full"));
        await world.QueueManyAsync([busy, full], 30, TimeProvider.System);
        await world.QueueManyAsync([quiet], 5, TimeProvider.System);
        var queue = world.Resolve<DeliveryQueue>();

        var claimed = await queue.ClaimAsync(50, 8, [new(busy.Id, 3), new(full.Id, 0)], TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddSeconds(1), default);

        var perEndpoint = claimed.GroupBy(c => c.Delivery.EndpointId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, perEndpoint[busy.Id]);
        Assert.Equal(5, perEndpoint[quiet.Id]);
        Assert.False(perEndpoint.ContainsKey(full.Id));
        Assert.All(claimed, c => Assert.Equal(c.Token, c.Delivery.LeaseToken));
        Assert.Equal(8, await world.CountAsync($"data->>'LeaseToken' = '{claimed[0].Token}' and (data->>'LeaseUntil')::timestamptz > now() + interval '50 seconds'"));
    }
}
