using Marten;
using Npgsql;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>
/// Listens on the outbox's channel (<see cref="EventOutbox.Channel"/>) on a connection of its own,
/// so a committed event is on its way at once rather than at the next tick. When the connection
/// drops (database restart) it reconnects by itself, and wakes the engine after every (re)connect
/// in case it missed a notification meanwhile.
/// </summary>
public sealed class DeliveryWakeListener(IDocumentStore store, NotificationConnections connections, NpgsqlDataSource db, DeliveryEngine engine, TimeProvider clock,
    ILogger<DeliveryWakeListener> log) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        connections.ListenAsync(EventOutbox.Channel(store.Options.DatabaseSchemaName),
            (_, _) => engine.Wake(),
            listening: engine.Wake,
            lost: e => log.LogWarning("Listening for queued deliveries failed ({Reason}); reconnecting in {Delay} s", e.Message, ReconnectDelay.TotalSeconds),
            db, ReconnectDelay, clock, stoppingToken);
}
