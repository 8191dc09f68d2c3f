using Marten;
using Microsoft.AspNetCore.Http;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>What is never followed or never sent: redirects, blocked addresses, gone and disabled endpoints.</summary>
public sealed class RefusalTests(DeliveryWorld<RefusalTests> world) : IClassFixture<DeliveryWorld<RefusalTests>>
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_a_failure_and_its_target_receives_nothing(int status)
    {
        await using var target = await Receiver.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = c =>
        {
            c.Response.StatusCode = status;
            c.Response.Headers.Location = target.Url("/elsewhere");
            return Task.CompletedTask;
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal((DeliveryErrors.Redirect, (int?)status, false), (attempt.ErrorCode, attempt.StatusCode, attempt.Succeeded));
        Assert.Equal(target.Url("/elsewhere"), attempt.ResponseHeaders["location"]);
        Assert.Equal(DeliveryStatus.Pending, delivery.Status); // retried later, like any failure
        Assert.Single(receiver.Requests);
        Assert.Empty(target.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_receiver_that_is_not_allowlisted_is_a_blocked_address_and_receives_nothing(string host)
    {
        await using var receiver = await Receiver.StartAsync();
        var url = $"http://{host}:{receiver.BaseAddress.Port}/hook";
        var endpoint = await world.NewEndpointAsync(url);
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System, new() { [SsrfGuard.AllowedNetworksKey] = "" }).RunUntilIdleAsync();

        var attempt = Assert.Single((await world.DeliveryAsync(deliveries[0].Id)).Attempts);
        Assert.Equal((DeliveryErrors.BlockedAddress, (int?)null, (string?)null), (attempt.ErrorCode, attempt.StatusCode, attempt.ResponseBody));
        Assert.Empty(attempt.ResponseHeaders);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_failure_retried_later()
    {
        await using var receiver = await Receiver.StartAsync();
        var url = receiver.Url();
        await receiver.DisposeAsync(); // nothing listens on the port any more
        var endpoint = await world.NewEndpointAsync(url);
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal((DeliveryErrors.ConnectionFailed, DeliveryStatus.Pending), (Assert.Single(delivery.Attempts).ErrorCode, delivery.Status));
    }

    [Fact]
    public async Task A_410_Gone_disables_the_endpoint_at_once_exactly_once_even_when_several_deliveries_hear_it()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = c =>
        {
            c.Response.StatusCode = 410;
            return Task.CompletedTask;
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await world.PublishAsync(endpoint.OrgId, TimeProvider.System)).Deliveries[0].Id);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var disabled = await world.EndpointAsync(endpoint.Id);
        Assert.False(disabled.Enabled);
        Assert.Contains("410", disabled.DisabledReason);
        foreach (var id in ids)
        {
            var delivery = await world.DeliveryAsync(id);
            Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts.Count)); // no retries to a gone endpoint
        }
        Assert.Single(await world.AuditAsync(endpoint.OrgId), a => a.Action == AuditActions.EndpointDisabled);
        Assert.Single(await world.EventsAsync(endpoint.OrgId), e => e.Type == EventCatalog.EndpointDisabled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_queued_delivery_to_a_disabled_or_deleted_endpoint_fails_without_a_request(bool deleted)
    {
        await using var receiver = await Receiver.StartAsync();
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);
        await using (var session = world.Store.LightweightSession())
        {
            if (deleted) endpoint.Deleted = true;
            else endpoint.Enabled = false;
            session.Store(endpoint);
            await session.SaveChangesAsync();
        }

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(deleted ? DeliveryErrors.EndpointDeleted : DeliveryErrors.EndpointDisabled, Assert.Single(delivery.Attempts).ErrorCode);
        Assert.Empty(receiver.Requests);
    }
}
