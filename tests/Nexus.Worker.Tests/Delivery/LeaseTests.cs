using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>
/// The lease lives in the JSON (token and end), not in the due time: a leased delivery is skipped until its
/// lease ends and claimable after, and only its holder can record or release it.
/// </summary>
public sealed class LeaseTests(DeliveryWorld<LeaseTests> world) : IClassFixture<DeliveryWorld<LeaseTests>>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_leased_delivery_is_not_claimed_again_before_its_lease_ends_and_is_after()
    {
        var endpoint = await world.NewEndpointAsync("http://127.0.0.1:9/lease");
        var queued = await world.QueueManyAsync([endpoint], 1, TimeProvider.System);
        var queue = world.Resolve<DeliveryQueue>();
        var now = DateTimeOffset.UtcNow.AddSeconds(1);

        var first = Assert.Single(await queue.ClaimAsync(10, 8, [], Lease, now, default));
        var meanwhile = await queue.ClaimAsync(10, 8, [], Lease, now + Lease - TimeSpan.FromSeconds(1), default);
        var after = Assert.Single(await queue.ClaimAsync(10, 8, [], Lease, now + Lease + TimeSpan.FromSeconds(1), default));

        Assert.Equal(queued[0].Id, first.Delivery.Id);
        Assert.Empty(meanwhile);
        Assert.Equal(first.Delivery.Id, after.Delivery.Id);
        Assert.NotEqual(first.Token, after.Token);
        var stored = await world.DeliveryAsync(first.Delivery.Id);
        Assert.Equal((after.Token, now + Lease * 2 + TimeSpan.FromSeconds(1)), (stored.LeaseToken, stored.LeaseUntil));
        Assert.Equal(queued[0].NextAttemptAt, stored.NextAttemptAt); // the due time stays where it was
        Assert.False(await queue.ReleaseAsync(first, default)); // the first holder's lease is gone
        Assert.False(Assert.Single(await queue.RecordAsync([first], default)));
        Assert.True(await queue.ReleaseAsync(after, default));

        var released = await world.DeliveryAsync(first.Delivery.Id);
        Assert.Equal(((Guid?)null, (DateTimeOffset?)null), (released.LeaseToken, released.LeaseUntil));
        Assert.Single(await queue.ClaimAsync(10, 8, [], Lease, now + Lease + TimeSpan.FromSeconds(2), default)); // due at once again
    }
}
