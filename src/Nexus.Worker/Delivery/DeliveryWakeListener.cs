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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = EventOutbox.Channel(store.Options.DatabaseSchemaName);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await connections.OpenAsync(stoppingToken);
                conn.Notification += (_, _) => engine.Wake();
                await using (var listen = new NpgsqlCommand($"listen \"{channel}\"", conn)) await listen.ExecuteNonQueryAsync(stoppingToken);
                engine.Wake();
                while (true) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogWarning("Listening for queued deliveries failed ({Reason}); reconnecting in {Delay} s", e.Message, ReconnectDelay.TotalSeconds);
                // A lost listener usually means the server restarted: the pool's idle connections are dead too,
                // and the claim this listener's reconnect wakes must not fail on one of them.
                db.Clear();
                try { await Task.Delay(ReconnectDelay, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
