using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>An event and its deliveries commit with the change that caused them, or not at all; so does the worker's wake-up.</summary>
public sealed class OutboxAtomicityTests(WebhookDatabase<OutboxAtomicityTests> db) : IClassFixture<WebhookDatabase<OutboxAtomicityTests>>
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly string _org = Ids.New("org");

    private async Task EndpointAsync()
    {
        await using var session = db.Store.LightweightSession();
        session.Store(new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix), OrgId = _org, Mode = Mode.Test, Url = "https://93.184.215.14/hook",
            SecretCiphertext = db.Secrets.Encrypt(WebhookSigner.NewSecret()), CreatedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow(),
        });
        await session.SaveChangesAsync();
    }

    private async Task<(int Events, int Deliveries)> CountsAsync()
    {
        await using var session = db.Store.QuerySession();
        return (await session.Query<WebhookEvent>().CountAsync(e => e.OrgId == _org),
            await session.Query<WebhookDelivery>().CountAsync(d => d.OrgId == _org));
    }

    /// <summary>A user whose e-mail address a second user cannot have (a unique index).</summary>
    private async Task<string> ExistingEmailAsync()
    {
        var email = $"{Ids.New("usr")}@example.com";
        await using var session = db.Store.LightweightSession();
        session.Store(new User { Id = Ids.New("usr"), Email = email, CreatedAt = _clock.GetUtcNow() });
        await session.SaveChangesAsync();
        return email;
    }

    // Unpooled, as the worker's listener is: a notification left in a pooled connection by an earlier test cannot reach the next.
    private static readonly NotificationConnections Listeners = new(WebhookDatabase<OutboxAtomicityTests>.ConnectionString);

    /// <summary>Listens on the schema's wake-up channel, as a worker does, on a connection of its own.</summary>
    private async Task<NpgsqlConnection> ListenAsync(List<string> received)
    {
        var conn = await Listeners.OpenAsync(CancellationToken.None);
        conn.Notification += (_, e) => received.Add(e.Payload);
        await using var listen = new NpgsqlCommand($"listen \"{EventOutbox.Channel(db.Schema)}\"", conn);
        await listen.ExecuteNonQueryAsync();
        return conn;
    }

    /// <summary>Sends a marker on the channel and waits until it arrives: whatever the listener got before it is all there is.</summary>
    private async Task<List<string>> DrainAsync(NpgsqlConnection listener, List<string> received)
    {
        await using (var conn = new NpgsqlConnection(WebhookDatabase<OutboxAtomicityTests>.ConnectionString))
        {
            await conn.OpenAsync();
            await using var notify = new NpgsqlCommand("select pg_notify(@channel, 'marker')", conn);
            notify.Parameters.AddWithValue("channel", EventOutbox.Channel(db.Schema));
            await notify.ExecuteNonQueryAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.Contains("marker")) await listener.WaitAsync(timeout.Token);
        return received.TakeWhile(p => p != "marker").ToList();
    }

    [Fact]
    public async Task A_committed_publish_stores_the_event_and_its_delivery_and_wakes_the_workers()
    {
        await EndpointAsync();
        var received = new List<string>();
        await using var listener = await ListenAsync(received);

        await using (var session = db.Store.LightweightSession())
        {
            await EventOutbox.PublishAsync(session, _org, Mode.Test, "note.created", "{}", null, _clock, CancellationToken.None);
            await session.SaveChangesAsync();
        }

        Assert.Equal((1, 1), await CountsAsync());
        Assert.Single(await DrainAsync(listener, received));
    }

    [Fact]
    public async Task A_session_disposed_without_saving_leaves_no_event_no_delivery_and_no_wake_up()
    {
        await EndpointAsync();
        var received = new List<string>();
        await using var listener = await ListenAsync(received);

        await using (var session = db.Store.LightweightSession())
            await EventOutbox.PublishAsync(session, _org, Mode.Test, "note.created", "{}", null, _clock, CancellationToken.None);

        Assert.Equal((0, 0), await CountsAsync());
        Assert.Empty(await DrainAsync(listener, received));
    }

    [Fact]
    public async Task A_commit_that_fails_on_a_conflicting_insert_leaves_no_event_no_delivery_and_no_wake_up()
    {
        await EndpointAsync();
        var email = await ExistingEmailAsync();
        var received = new List<string>();
        await using var listener = await ListenAsync(received);

        await using (var session = db.Store.LightweightSession())
        {
            await EventOutbox.PublishAsync(session, _org, Mode.Test, "note.created", "{}", null, _clock, CancellationToken.None);
            // The change that caused the event fails as it commits: a second user with the same e-mail address.
            session.Store(new User { Id = Ids.New("usr"), Email = email, CreatedAt = _clock.GetUtcNow() });
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        Assert.Equal((0, 0), await CountsAsync());
        Assert.Empty(await DrainAsync(listener, received));
    }
}
