using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>The retry schedule driven by a fake clock: attempts, jitter, Retry-After, dead letters and manual retries.</summary>
public sealed class RetryTests(DeliveryWorld<RetryTests> world) : IClassFixture<DeliveryWorld<RetryTests>>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_failing_delivery_is_tried_four_times_after_1_5_and_15_minutes_within_10_percent_then_dead_lettered_with_every_attempt()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = Status(500, "down for maintenance");
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (evt, deliveries) = await world.PublishAsync(endpoint.OrgId, _clock);
        var engine = world.Engine(_clock);

        var delays = new List<TimeSpan>();
        foreach (var expected in new[] { 1, 5, 15 })
        {
            await engine.RunUntilIdleAsync();
            var pending = await world.DeliveryAsync(deliveries[0].Id);
            Assert.Equal(DeliveryStatus.Pending, pending.Status);
            var delay = pending.NextAttemptAt!.Value - pending.Attempts[^1].At;
            Assert.InRange(delay, TimeSpan.FromMinutes(expected * 0.9), TimeSpan.FromMinutes(expected * 1.1) + TimeSpan.FromSeconds(3));
            delays.Add(delay);

            _clock.Advance(delay - TimeSpan.FromSeconds(5));
            await engine.RunUntilIdleAsync();
            Assert.Equal(delays.Count, receiver.Requests.Count); // not due yet
            _clock.Advance(TimeSpan.FromSeconds(10));
        }
        await engine.RunUntilIdleAsync();

        var dead = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal(DeliveryStatus.Failed, dead.Status);
        Assert.Null(dead.NextAttemptAt);
        Assert.Equal(4, dead.Attempts.Count);
        Assert.All(dead.Attempts, a => Assert.Equal((500, "http_status", "down for maintenance"), (a.StatusCode, a.ErrorCode, a.ResponseBody)));
        Assert.Equal(4, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(evt.Id, r.Header("webhook-id")));
        Assert.Single(receiver.Requests.Select(r => Convert.ToBase64String(r.Body)).Distinct());
        Assert.Equal(1, (await world.EndpointAsync(endpoint.Id)).ConsecutiveDeadLetters);

        _clock.Advance(TimeSpan.FromDays(2));
        await engine.RunUntilIdleAsync();
        Assert.Equal(4, receiver.Requests.Count);
    }

    [Fact]
    public async Task First_retries_spread_over_the_jitter_band()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = Status(503);
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var ids = new List<string>();
        for (var i = 0; i < 30; i++) ids.Add((await world.PublishAsync(endpoint.OrgId, _clock)).Deliveries[0].Id);

        await world.Engine(_clock).RunUntilIdleAsync();

        var delays = new List<double>();
        foreach (var id in ids)
        {
            var delivery = await world.DeliveryAsync(id);
            delays.Add((delivery.NextAttemptAt!.Value - delivery.Attempts[0].At).TotalSeconds);
        }
        Assert.All(delays, d => Assert.InRange(d, 54, 66 + 3));
        Assert.True(delays.Max() - delays.Min() > 2, $"The delays barely differ: {string.Join(", ", delays)}");
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData("7200", 3600)] // at most an hour
    [InlineData("10", null)] // sooner than the schedule: the schedule wins
    [InlineData("date+900", 900)]
    public async Task Retry_after_pushes_the_next_attempt_later_within_bounds(string retryAfter, int? expectedSeconds)
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = c =>
        {
            c.Response.StatusCode = 429;
            c.Response.Headers.RetryAfter = retryAfter.StartsWith("date+")
                ? _clock.GetUtcNow().AddSeconds(int.Parse(retryAfter[5..])).ToString("R")
                : retryAfter;
            return Task.CompletedTask;
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, _clock);

        await world.Engine(_clock).RunUntilIdleAsync();

        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        var delay = (delivery.NextAttemptAt!.Value - delivery.Attempts[0].At).TotalSeconds;
        if (expectedSeconds is { } seconds) Assert.InRange(delay, seconds - 1, seconds + 3);
        else Assert.InRange(delay, 54, 66 + 3);
    }

    [Fact]
    public async Task An_endpoint_schedule_replaces_the_deployment_one()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = Status(500);
        var endpoint = await world.NewEndpointAsync(receiver.Url(), configure: e => e.RetryScheduleSeconds = [30]);
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, _clock);
        var engine = world.Engine(_clock);

        await engine.RunUntilIdleAsync();
        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.InRange((delivery.NextAttemptAt!.Value - delivery.Attempts[0].At).TotalSeconds, 27, 33 + 3);
        _clock.Advance(TimeSpan.FromSeconds(40));
        await engine.RunUntilIdleAsync();

        delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal((DeliveryStatus.Failed, 2), (delivery.Status, delivery.Attempts.Count));
    }

    [Fact]
    public async Task Five_dead_letters_in_a_row_disable_the_endpoint_with_an_audit_entry_and_an_endpoint_disabled_event()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = Status(500);
        await using var watcher = await Receiver.StartAsync();
        var endpoint = await world.NewEndpointAsync(receiver.Url("/failing"), configure: e => e.RetryScheduleSeconds = []);
        var other = await world.NewEndpointAsync(watcher.Url("/watcher"), orgId: endpoint.OrgId, configure: e => e.EventTypes = [EventCatalog.EndpointDisabled]);
        var engine = world.Engine(_clock);

        for (var i = 1; i <= 4; i++)
        {
            await world.PublishAsync(endpoint.OrgId, _clock);
            await engine.RunUntilIdleAsync();
            var state = await world.EndpointAsync(endpoint.Id);
            Assert.Equal((true, i), (state.Enabled, state.ConsecutiveDeadLetters));
        }
        await world.PublishAsync(endpoint.OrgId, _clock);
        await engine.RunUntilIdleAsync();
        await engine.RunUntilIdleAsync(); // the endpoint.disabled event's delivery

        var disabled = await world.EndpointAsync(endpoint.Id);
        Assert.False(disabled.Enabled);
        Assert.Equal("5 deliveries in a row were dead-lettered.", disabled.DisabledReason);
        var audit = Assert.Single(await world.AuditAsync(endpoint.OrgId), a => a.Action == AuditActions.EndpointDisabled);
        Assert.Equal((AuditActor.SystemType, endpoint.Id), (audit.ActorType, audit.TargetId));
        var evt = Assert.Single(await world.EventsAsync(endpoint.OrgId), e => e.Type == EventCatalog.EndpointDisabled);
        Assert.Contains(endpoint.Id, evt.Payload);
        var notice = Assert.Single(watcher.Requests);
        Assert.Equal(evt.Id, notice.Header("webhook-id"));
        Assert.Equal(5, receiver.Requests.Count); // the disabled endpoint got no notice of its own disabling
        Assert.True((await world.EndpointAsync(other.Id)).Enabled);

        await world.PublishAsync(endpoint.OrgId, _clock);
        await engine.RunUntilIdleAsync();
        Assert.Equal(5, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_success_starts_the_count_of_dead_letters_again()
    {
        await using var receiver = await Receiver.StartAsync();
        var fail = true;
        receiver.Respond = c =>
        {
            c.Response.StatusCode = fail ? 500 : 204;
            return Task.CompletedTask;
        };
        var endpoint = await world.NewEndpointAsync(receiver.Url(), configure: e => e.RetryScheduleSeconds = []);
        var engine = world.Engine(_clock);
        for (var i = 0; i < 3; i++)
        {
            await world.PublishAsync(endpoint.OrgId, _clock);
            await engine.RunUntilIdleAsync();
        }
        Assert.Equal(3, (await world.EndpointAsync(endpoint.Id)).ConsecutiveDeadLetters);

        fail = false;
        await world.PublishAsync(endpoint.OrgId, _clock);
        await engine.RunUntilIdleAsync();

        Assert.Equal(0, (await world.EndpointAsync(endpoint.Id)).ConsecutiveDeadLetters);
    }

    [Fact]
    public async Task A_manual_retry_of_a_dead_letter_is_one_more_attempt_with_the_same_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = Status(500);
        var endpoint = await world.NewEndpointAsync(receiver.Url(), configure: e => e.RetryScheduleSeconds = [60]);
        var (evt, deliveries) = await world.PublishAsync(endpoint.OrgId, _clock);
        var engine = world.Engine(_clock);
        await engine.RunUntilIdleAsync();
        _clock.Advance(TimeSpan.FromMinutes(2));
        await engine.RunUntilIdleAsync();
        Assert.Equal(DeliveryStatus.Failed, (await world.DeliveryAsync(deliveries[0].Id)).Status);

        await using (var session = world.Store.LightweightSession())
        {
            var result = await new DeliveryActions(session, _clock).RetryAsync(endpoint.OrgId, Mode.Test, deliveries[0].Id,
                AuditActor.User("usr_1", "a@example.com", null, null), CancellationToken.None);
            Assert.Null(result.Refusal);
        }
        await engine.RunUntilIdleAsync();

        var delivery = await world.DeliveryAsync(deliveries[0].Id);
        Assert.Equal((DeliveryStatus.Failed, 3, (DateTimeOffset?)null), (delivery.Status, delivery.Attempts.Count, delivery.NextAttemptAt));
        Assert.Equal(DeliveryTriggers.ManualRetry, delivery.Attempts[^1].Trigger);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(evt.Id, r.Header("webhook-id")));
    }

    private static Func<HttpContext, Task> Status(int status, string? body = null) => async c =>
    {
        c.Response.StatusCode = status;
        if (body is not null) await c.Response.WriteAsync(body);
    };
}
