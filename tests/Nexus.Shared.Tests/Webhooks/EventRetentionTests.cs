using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class EventRetentionTests(WebhookDatabase<EventRetentionTests> db) : IClassFixture<WebhookDatabase<EventRetentionTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now - TimeSpan.FromDays(30);
    private static readonly AuditActor Actor = AuditActor.Key("key_1", "nx_test_abcd", "203.0.113.9", "req_1");
    // Each test's events are a millisecond apart from a start of their own, so tests never share a batch's order.
    private readonly ManualClock _clock = new(Cutoff - TimeSpan.FromDays(Random.Shared.Next(1, 3000)));
    private readonly string _org = Ids.New("org");

    private NpgsqlDataSource Db => db.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>
    /// One batch at the cutoff 30 days before <see cref="Now"/>. No test leaves an event behind that
    /// such a batch would delete, so each test's counts are its own.
    /// </summary>
    private Task<int> DeleteBatchAsync(int batchSize = 1_000, DateTimeOffset? cutoff = null) =>
        EventRetention.DeleteBatchAsync(db.Store, Db, cutoff ?? Cutoff, batchSize, CancellationToken.None);

    /// <summary>An event made at <paramref name="at"/> (or the test clock's next millisecond), with a delivery in each of <paramref name="statuses"/>.</summary>
    private async Task<WebhookEvent> EventAsync(DateTimeOffset? at = null, Mode mode = Mode.Test, string? org = null, string endpointId = "we_any",
        params DeliveryStatus[] statuses)
    {
        var clock = at is { } when ? new ManualClock(when) : _clock;
        if (at is null) _clock.Advance(TimeSpan.FromMilliseconds(1));
        await using var session = db.Store.LightweightSession();
        var evt = EventOutbox.NewEvent(org ?? _org, mode, "note.created", """{"n":1}""", null, clock);
        session.Store(evt);
        foreach (var status in statuses)
        {
            var delivery = EventOutbox.Enqueue(session, evt, endpointId, DeliveryTriggers.Event, clock);
            delivery.Status = status;
            delivery.NextAttemptAt = status == DeliveryStatus.Pending ? clock.GetUtcNow() : null;
            session.Store(delivery);
        }
        await session.SaveChangesAsync();
        return evt;
    }

    private async Task<bool> ExistsAsync(WebhookEvent evt)
    {
        await using var session = db.Store.QuerySession();
        return await session.LoadAsync<WebhookEvent>(evt.Id) is not null;
    }

    private async Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfAsync(WebhookEvent evt)
    {
        await using var session = db.Store.QuerySession();
        return await session.Query<WebhookDelivery>().Where(d => d.EventId == evt.Id).ToListAsync();
    }

    [Fact]
    public async Task Events_past_retention_go_with_their_finished_deliveries_and_the_rest_stay()
    {
        var succeeded = await EventAsync(statuses: [DeliveryStatus.Succeeded, DeliveryStatus.Succeeded]);
        var deadLettered = await EventAsync(mode: Mode.Live, statuses: [DeliveryStatus.Failed, DeliveryStatus.Succeeded]);
        var noEndpoints = await EventAsync();
        var anotherOrgs = await EventAsync(org: Ids.New("org"), statuses: [DeliveryStatus.Succeeded]);
        var stillPending = await EventAsync(statuses: [DeliveryStatus.Succeeded, DeliveryStatus.Pending]);
        var recent = await EventAsync(at: Now - TimeSpan.FromDays(29), statuses: [DeliveryStatus.Succeeded]);

        Assert.Equal(4, await DeleteBatchAsync());

        foreach (var gone in new[] { succeeded, deadLettered, noEndpoints, anotherOrgs })
        {
            Assert.False(await ExistsAsync(gone));
            Assert.Empty(await DeliveriesOfAsync(gone));
        }
        Assert.True(await ExistsAsync(stillPending));
        Assert.Equal(2, (await DeliveriesOfAsync(stillPending)).Count);
        Assert.True(await ExistsAsync(recent));
        Assert.Single(await DeliveriesOfAsync(recent));
    }

    [Fact]
    public async Task The_cutoff_is_to_the_millisecond()
    {
        var before = await EventAsync(at: Cutoff - TimeSpan.FromMilliseconds(1), statuses: [DeliveryStatus.Succeeded]);
        var at = await EventAsync(at: Cutoff, statuses: [DeliveryStatus.Succeeded]);

        await DeleteBatchAsync();

        Assert.False(await ExistsAsync(before));
        Assert.True(await ExistsAsync(at));
    }

    [Fact]
    public async Task A_backlog_goes_in_batches_oldest_first()
    {
        // Older than any other test's events, with a cutoff of its own, so the batches hold only these.
        var start = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<WebhookEvent>();
        for (var i = 0; i < 25; i++) events.Add(await EventAsync(at: start.AddMilliseconds(i), statuses: [DeliveryStatus.Succeeded]));
        var cutoff = start.AddDays(1);

        Assert.Equal(10, await DeleteBatchAsync(10, cutoff));
        foreach (var evt in events.Take(10)) Assert.False(await ExistsAsync(evt));
        Assert.True(await ExistsAsync(events[10]));
        Assert.Equal(10, await DeleteBatchAsync(10, cutoff));
        Assert.Equal(5, await DeleteBatchAsync(10, cutoff));
        Assert.Equal(0, await DeleteBatchAsync(10, cutoff));
        foreach (var evt in events) Assert.False(await ExistsAsync(evt));
    }

    [Fact]
    public async Task An_event_a_replay_holds_is_skipped_not_waited_for()
    {
        var evt = await EventAsync(statuses: [DeliveryStatus.Succeeded]);
        // The lock a replay takes on its event before it adds deliveries.
        await using var replaying = await BeginAsync(LockEvent, evt.Id);

        Assert.Equal(0, await DeleteBatchAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await ExistsAsync(evt));

        await replaying.CommitAsync();
        Assert.Equal(1, await DeleteBatchAsync());
        Assert.False(await ExistsAsync(evt));
    }

    [Fact]
    public async Task A_replay_of_an_event_being_deleted_waits_and_finds_it_gone()
    {
        var evt = await EventAsync(statuses: [DeliveryStatus.Succeeded]);
        var endpoint = await EndpointAsync();
        await using var deleting = await BeginAsync(LockEvent, evt.Id);

        var replay = Task.Run(async () =>
        {
            await using var session = db.Store.LightweightSession();
            return await new DeliveryActions(session, new ManualClock(Now)).ReplayAsync(_org, Mode.Test, evt.Id, endpoint.Id, Actor, CancellationToken.None);
        });
        await WaitUntilBlockedAsync(replay);
        await deleting.ExecuteAsync(DeleteEvent, evt.Id);
        await deleting.CommitAsync();

        var result = await replay;
        Assert.Equal(Refusal.ResourceMissing, result.Refusal?.Code);
        Assert.Empty(await DeliveriesOfAsync(evt));
    }

    [Fact]
    public async Task A_retry_made_while_retention_runs_keeps_its_event()
    {
        var evt = await EventAsync(statuses: [DeliveryStatus.Failed]);
        // What a retry does, not yet committed: the delivery is locked and made pending.
        await using var retrying = await BeginAsync(
            $"update {Deliveries} set status = 'Pending', data = data || jsonb_build_object('Status', 'Pending') where event_id = @id", evt.Id);

        var retention = DeleteBatchAsync();
        await WaitUntilBlockedAsync(retention);
        await retrying.CommitAsync();

        Assert.Equal(0, await retention);
        Assert.True(await ExistsAsync(evt));
        Assert.Equal(DeliveryStatus.Pending, Assert.Single(await DeliveriesOfAsync(evt)).Status);
    }

    [Fact]
    public async Task Retrying_an_endpoints_failed_deliveries_does_not_write_back_one_deleted_meanwhile()
    {
        var endpoint = await EndpointAsync();
        var evt = await EventAsync(endpointId: endpoint.Id, statuses: [DeliveryStatus.Failed]);
        await using var deleting = await BeginAsync($"select 1 from {Deliveries} where event_id = @id for update", evt.Id);

        var retry = Task.Run(async () =>
        {
            await using var session = db.Store.LightweightSession();
            return await new DeliveryActions(session, new ManualClock(Now))
                .RetryFailedAsync(_org, Mode.Test, endpoint.Id, Cutoff - TimeSpan.FromDays(4000), Actor, CancellationToken.None);
        });
        await WaitUntilBlockedAsync(retry);
        await deleting.ExecuteAsync(DeleteEvent, evt.Id);
        await deleting.CommitAsync();

        var result = await retry;
        Assert.Null(result.Refusal);
        Assert.Empty(result.Deliveries);
        Assert.Empty(await DeliveriesOfAsync(evt));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("30", 30)]
    [InlineData("1", 1)]
    [InlineData("3650", 3650)]
    public void The_setting_is_a_number_of_days_or_unset_to_keep_forever(string? value, int? days)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [EventRetention.DaysSetting] = value }).Build();

        Assert.Equal(days is { } d ? TimeSpan.FromDays(d) : null, EventRetention.From(config));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3651")]
    [InlineData("30d")]
    [InlineData("1.5")]
    [InlineData(" 30")]
    [InlineData("99999999999")]
    public void Any_other_setting_is_refused_naming_it(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [EventRetention.DaysSetting] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => EventRetention.From(config));
        Assert.Contains(EventRetention.DaysSetting, error.Message);
        Assert.Contains($"\"{value}\"", error.Message);
    }

    private async Task<WebhookEndpoint> EndpointAsync()
    {
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix), OrgId = _org, Mode = Mode.Test, Url = "https://93.184.215.14/hook", Enabled = true,
            SecretCiphertext = db.Secrets.Encrypt(WebhookSigner.NewSecret()), CreatedAt = Now, UpdatedAt = Now,
        };
        await using var session = db.Store.LightweightSession();
        session.Store(endpoint);
        await session.SaveChangesAsync();
        return endpoint;
    }

    private string Events => db.Store.Options.Schema.For<WebhookEvent>().ToString();
    private string Deliveries => db.Store.Options.Schema.For<WebhookDelivery>().ToString();
    private string LockEvent => $"select 1 from {Events} where id = @id for update";
    private string DeleteEvent => $"delete from {Deliveries} where event_id = @id; delete from {Events} where id = @id";

    /// <summary>Starts a transaction of the test's own with <paramref name="sql"/> and leaves it open: another writer, mid-way.</summary>
    private async Task<OpenTransaction> BeginAsync(string sql, string id)
    {
        var conn = await Db.OpenConnectionAsync();
        var open = new OpenTransaction(conn, await conn.BeginTransactionAsync());
        await open.ExecuteAsync(sql, id);
        return open;
    }

    private sealed class OpenTransaction(NpgsqlConnection conn, NpgsqlTransaction tx) : IAsyncDisposable
    {
        /// <summary>Runs <paramref name="sql"/> with <c>@id</c> in the transaction.</summary>
        public async Task ExecuteAsync(string sql, string id)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync();
        }

        public Task CommitAsync() => tx.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync();
            await conn.DisposeAsync();
        }
    }

    /// <summary>Waits until a statement on this class's schema waits for a lock, and fails if <paramref name="work"/> finished instead.</summary>
    private async Task WaitUntilBlockedAsync(Task work)
    {
        await using var conn = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and position(@schema in query) > 0", conn);
        cmd.Parameters.AddWithValue("schema", db.Schema);
        for (var i = 0; i < 500; i++)
        {
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) return;
            Assert.False(work.IsCompleted, "the work finished without waiting for the lock the test holds");
            await Task.Delay(20);
        }
        Assert.Fail("the work never waited for the lock the test holds");
    }
}
