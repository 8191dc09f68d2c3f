using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class DeliveryActionsTests(WebhookDatabase<DeliveryActionsTests> db) : IClassFixture<WebhookDatabase<DeliveryActionsTests>>
{
    private static readonly AuditActor Actor = AuditActor.Key("key_1", "nx_test_abcd", "203.0.113.9", "req_1");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly string _org = Ids.New("org");

    private async Task<WebhookEndpoint> EndpointAsync(string? org = null, bool enabled = true, params string[] types)
    {
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix, _clock), OrgId = org ?? _org, Mode = Mode.Test, Url = "https://93.184.215.14/hook",
            EventTypes = [.. types], Enabled = enabled, SecretCiphertext = db.Secrets.Encrypt(WebhookSigner.NewSecret()),
            CreatedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow(),
        };
        await using var session = db.Store.LightweightSession();
        session.Store(endpoint);
        await session.SaveChangesAsync();
        return endpoint;
    }

    private async Task<(WebhookEvent Event, List<WebhookDelivery> Deliveries)> PublishAsync(string type = "note.created", string? org = null)
    {
        await using var session = db.Store.LightweightSession();
        var evt = await EventOutbox.PublishAsync(session, org ?? _org, Mode.Test, type, """{"n":1}""", "req_9", _clock, CancellationToken.None);
        await session.SaveChangesAsync();
        return (evt, await DeliveriesOfAsync(evt.Id));
    }

    private async Task<List<WebhookDelivery>> DeliveriesOfAsync(string eventId)
    {
        await using var session = db.Store.QuerySession();
        return (await session.Query<WebhookDelivery>().Where(d => d.EventId == eventId).OrderBy(d => d.CreatedAt).ToListAsync()).ToList();
    }

    private async Task<WebhookDelivery> LoadAsync(string id)
    {
        await using var session = db.Store.QuerySession();
        return (await session.LoadAsync<WebhookDelivery>(id))!;
    }

    /// <summary>Puts a delivery in a state, as the worker would have left it.</summary>
    private async Task SetAsync(WebhookDelivery delivery, Action<WebhookDelivery> change)
    {
        change(delivery);
        await using var session = db.Store.LightweightSession();
        session.Store(delivery);
        await session.SaveChangesAsync();
    }

    private static void DeadLetter(WebhookDelivery d)
    {
        d.Status = DeliveryStatus.Failed;
        d.NextAttemptAt = null;
        d.ScheduledAttempts = 4;
    }

    private async Task<T> WithActionsAsync<T>(Func<DeliveryActions, Task<T>> action)
    {
        await using var session = db.Store.LightweightSession();
        return await action(new DeliveryActions(session, _clock));
    }

    [Fact]
    public async Task Publishing_queues_one_due_delivery_per_subscribed_enabled_endpoint()
    {
        var all = await EndpointAsync();
        var notes = await EndpointAsync(types: "note.created");
        await EndpointAsync(types: "key.created");
        await EndpointAsync(enabled: false);
        await EndpointAsync(org: Ids.New("org"));

        var (evt, deliveries) = await PublishAsync();

        Assert.Equal(2, evt.EndpointCount);
        Assert.Equal(new[] { all.Id, notes.Id }.Order(), deliveries.Select(d => d.EndpointId).Order());
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Pending, _clock.GetUtcNow(), DeliveryTriggers.Event, _org), (d.Status, d.NextAttemptAt, d.Trigger, d.OrgId)));
    }

    [Fact]
    public async Task Retrying_a_dead_letter_makes_it_due_now_for_one_last_attempt_and_audits_it()
    {
        var endpoint = await EndpointAsync();
        var (evt, deliveries) = await PublishAsync();
        var delivery = deliveries.Single(d => d.EndpointId == endpoint.Id);
        await SetAsync(delivery, DeadLetter);
        _clock.Advance(TimeSpan.FromHours(1));

        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));

        Assert.Null(result.Refusal);
        var stored = await LoadAsync(delivery.Id);
        Assert.Equal((DeliveryStatus.Pending, _clock.GetUtcNow(), true, DeliveryTriggers.ManualRetry, evt.Id),
            (stored.Status, stored.NextAttemptAt, stored.SingleAttempt, stored.Trigger, stored.EventId));
        await using var session = db.Store.QuerySession();
        Assert.Contains(await session.Query<AuditEntry>().Where(a => a.OrgId == _org).ToListAsync(),
            a => a.Action == AuditActions.DeliveryRetried && a.TargetId == delivery.Id && a.ActorId == "key_1");
    }

    [Fact]
    public async Task Retrying_a_delivery_still_waiting_for_a_retry_brings_it_forward_and_keeps_the_rest_of_its_schedule()
    {
        var endpoint = await EndpointAsync();
        var delivery = (await PublishAsync()).Deliveries.Single(d => d.EndpointId == endpoint.Id);
        await SetAsync(delivery, d => { d.ScheduledAttempts = 1; d.NextAttemptAt = _clock.GetUtcNow().AddMinutes(1); });

        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));

        Assert.Null(result.Refusal);
        var stored = await LoadAsync(delivery.Id);
        Assert.Equal((DeliveryStatus.Pending, _clock.GetUtcNow(), 1), (stored.Status, stored.NextAttemptAt, stored.ScheduledAttempts));
        Assert.False(stored.SingleAttempt); // a failure now still leaves attempts 3 and 4
    }

    [Fact]
    public async Task A_delivery_held_by_a_worker_lease_cannot_be_retried()
    {
        var endpoint = await EndpointAsync();
        var delivery = (await PublishAsync()).Deliveries.Single(d => d.EndpointId == endpoint.Id);
        var lease = Guid.NewGuid();
        var leaseEnd = _clock.GetUtcNow().AddMinutes(2);
        await SetAsync(delivery, d => { d.LeaseToken = lease; d.LeaseUntil = leaseEnd; });
        var due = (await LoadAsync(delivery.Id)).NextAttemptAt;

        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));

        Assert.Equal(DeliveryActions.DeliveryInProgress, result.Refusal?.Code);
        var stored = await LoadAsync(delivery.Id);
        Assert.Equal((lease, leaseEnd, due, false, DeliveryTriggers.Event), (stored.LeaseToken, stored.LeaseUntil, stored.NextAttemptAt, stored.SingleAttempt, stored.Trigger));
    }

    [Fact]
    public async Task A_delivery_whose_lease_ran_out_can_be_retried_and_the_lapsed_claim_is_dropped()
    {
        var endpoint = await EndpointAsync();
        var delivery = (await PublishAsync()).Deliveries.Single(d => d.EndpointId == endpoint.Id);
        // A worker claimed it and died: the token is still there, the lease ended a second ago.
        await SetAsync(delivery, d => { d.LeaseToken = Guid.NewGuid(); d.LeaseUntil = _clock.GetUtcNow().AddSeconds(-1); });

        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));

        Assert.Null(result.Refusal);
        var stored = await LoadAsync(delivery.Id);
        // Due now; the dead worker's token is gone, so a late record of its attempt finds no claim to write under.
        Assert.Equal((DeliveryStatus.Pending, _clock.GetUtcNow(), (Guid?)null, (DateTimeOffset?)null, DeliveryTriggers.ManualRetry),
            (stored.Status, stored.NextAttemptAt, stored.LeaseToken, stored.LeaseUntil, stored.Trigger));
    }

    [Fact]
    public async Task Another_orgs_delivery_is_not_found_and_stays_as_it_was()
    {
        var stranger = Ids.New("org");
        var endpoint = await EndpointAsync(org: stranger);
        var delivery = (await PublishAsync(org: stranger)).Deliveries.Single(d => d.EndpointId == endpoint.Id);
        await SetAsync(delivery, DeadLetter);

        var retry = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));
        var otherMode = await WithActionsAsync(a => a.RetryAsync(stranger, Mode.Live, delivery.Id, Actor, CancellationToken.None));
        var replay = await WithActionsAsync(a => a.ReplayAsync(_org, Mode.Test, delivery.EventId, null, Actor, CancellationToken.None));
        var bulk = await WithActionsAsync(a => a.RetryFailedAsync(_org, Mode.Test, endpoint.Id, DateTimeOffset.MinValue, Actor, CancellationToken.None));

        Assert.All([retry, otherMode, replay, bulk], r => Assert.Equal(Refusal.ResourceMissing, r.Refusal?.Code));
        Assert.Equal(DeliveryStatus.Failed, (await LoadAsync(delivery.Id)).Status);
        Assert.Single(await DeliveriesOfAsync(delivery.EventId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dlv_")]
    [InlineData("evt_01jd4n6x9m3f8r2k7q5w0y1z3a")]
    [InlineData("dlv_01jd4n6x9m3f8r2k7q5w0y1z3a")] // well formed, absent
    public async Task Retrying_a_malformed_or_unknown_id_is_not_found(string id)
    {
        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, id, Actor, CancellationToken.None));

        Assert.Equal(Refusal.ResourceMissing, result.Refusal?.Code);
    }

    [Fact]
    public async Task Retrying_a_delivery_to_a_disabled_endpoint_is_refused()
    {
        var endpoint = await EndpointAsync();
        var delivery = (await PublishAsync()).Deliveries.Single(d => d.EndpointId == endpoint.Id);
        await SetAsync(delivery, DeadLetter);
        endpoint.Enabled = false;
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(endpoint);
            await session.SaveChangesAsync();
        }

        var result = await WithActionsAsync(a => a.RetryAsync(_org, Mode.Test, delivery.Id, Actor, CancellationToken.None));

        Assert.Equal(DeliveryActions.EndpointDisabled, result.Refusal?.Code);
        Assert.Equal(DeliveryStatus.Failed, (await LoadAsync(delivery.Id)).Status);
    }

    [Fact]
    public async Task Replay_creates_new_deliveries_of_the_same_event_so_the_webhook_id_is_the_same()
    {
        var first = await EndpointAsync();
        var second = await EndpointAsync(types: "note.created");
        await EndpointAsync(types: "key.created");
        var (evt, original) = await PublishAsync();
        _clock.Advance(TimeSpan.FromMinutes(30));

        var toAll = await WithActionsAsync(a => a.ReplayAsync(_org, Mode.Test, evt.Id, null, Actor, CancellationToken.None));
        var toOne = await WithActionsAsync(a => a.ReplayAsync(_org, Mode.Test, evt.Id, first.Id, Actor, CancellationToken.None));

        Assert.Null(toAll.Refusal);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), toAll.Deliveries.Select(d => d.EndpointId).Order());
        Assert.Equal([first.Id], toOne.Deliveries.Select(d => d.EndpointId));
        var all = await DeliveriesOfAsync(evt.Id);
        Assert.Equal(original.Count + 3, all.Count);
        Assert.All(all, d => Assert.Equal(evt.Id, d.EventId));
        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct().Count());
        Assert.All(all.Where(d => d.Trigger == DeliveryTriggers.Replay), d => Assert.Equal(_clock.GetUtcNow(), d.NextAttemptAt));
        Assert.Equal(3, all.Count(d => d.Trigger == DeliveryTriggers.Replay));
    }

    [Fact]
    public async Task Replay_to_another_orgs_endpoint_is_refused()
    {
        var foreign = await EndpointAsync(org: Ids.New("org"));
        await EndpointAsync();
        var (evt, original) = await PublishAsync();

        var result = await WithActionsAsync(a => a.ReplayAsync(_org, Mode.Test, evt.Id, foreign.Id, Actor, CancellationToken.None));

        Assert.Equal((Refusal.ResourceMissing, "endpoint_id"), (result.Refusal?.Code, result.Refusal?.Param));
        Assert.Equal(original.Count, (await DeliveriesOfAsync(evt.Id)).Count);
    }

    [Fact]
    public async Task Bulk_retry_makes_due_only_the_endpoints_dead_letters_created_since_the_time_given()
    {
        var endpoint = await EndpointAsync();
        var other = await EndpointAsync();
        var old = (await PublishAsync()).Deliveries;
        _clock.Advance(TimeSpan.FromHours(1));
        var since = _clock.GetUtcNow();
        var recent = (await PublishAsync()).Deliveries;
        var succeeded = (await PublishAsync()).Deliveries;
        var pending = (await PublishAsync()).Deliveries;
        foreach (var d in old.Concat(recent)) await SetAsync(d, DeadLetter);
        foreach (var d in succeeded) await SetAsync(d, x => { x.Status = DeliveryStatus.Succeeded; x.NextAttemptAt = null; });
        _clock.Advance(TimeSpan.FromHours(1));

        var result = await WithActionsAsync(a => a.RetryFailedAsync(_org, Mode.Test, endpoint.Id, since, Actor, CancellationToken.None));

        var target = recent.Single(d => d.EndpointId == endpoint.Id);
        Assert.Equal([target.Id], result.Deliveries.Select(d => d.Id));
        var stored = await LoadAsync(target.Id);
        Assert.Equal((DeliveryStatus.Pending, _clock.GetUtcNow(), true), (stored.Status, stored.NextAttemptAt, stored.SingleAttempt));
        Assert.Equal(DeliveryStatus.Failed, (await LoadAsync(old.Single(d => d.EndpointId == endpoint.Id).Id)).Status);
        Assert.Equal(DeliveryStatus.Failed, (await LoadAsync(recent.Single(d => d.EndpointId == other.Id).Id)).Status);
        Assert.Equal(DeliveryStatus.Succeeded, (await LoadAsync(succeeded.Single(d => d.EndpointId == endpoint.Id).Id)).Status);
        var stillPending = await LoadAsync(pending.Single(d => d.EndpointId == endpoint.Id).Id);
        Assert.Equal((DeliveryTriggers.Event, false), (stillPending.Trigger, stillPending.SingleAttempt));
    }
}
