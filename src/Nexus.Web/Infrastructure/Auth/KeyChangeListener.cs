using Marten;
using Npgsql;
using Nexus.Shared.Keys;
using Nexus.Shared.Store;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Holds one connection that LISTENs on the schema's key-change channel and evicts each
/// announced key from this node's <see cref="ApiKeyCache"/>. If the connection drops, the cache
/// is switched off (every lookup goes to the database) until LISTEN is back.
/// </summary>
public sealed class KeyChangeListener(
    NotificationConnections connections,
    NpgsqlDataSource db,
    IDocumentStore store,
    ApiKeyCache cache,
    OrgCache orgs,
    TimeProvider clock,
    ILogger<KeyChangeListener> log) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = KeyChanges.Channel(store.Options.DatabaseSchemaName);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await connections.OpenAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (e.Payload.StartsWith(KeyChanges.OrgPrefix, StringComparison.Ordinal)) orgs.Evict(e.Payload[KeyChanges.OrgPrefix.Length..]);
                    else cache.Evict(e.Payload);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", conn))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                cache.SetListening(true);
                orgs.SetListening(true);
                log.LogDebug("Listening for key changes on {Channel}", channel);
                while (true) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                cache.SetListening(false);
                orgs.SetListening(false);
                log.LogWarning(e, "Lost the key-change listener; API keys are read from the database until it is back");
                // A lost listener usually means the server restarted: the pool's idle connections are dead too.
                db.Clear();
                try { await Task.Delay(ReconnectDelay, clock, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        cache.SetListening(false);
        orgs.SetListening(false);
    }
}
