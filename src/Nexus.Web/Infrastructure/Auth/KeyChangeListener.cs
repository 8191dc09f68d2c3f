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
        await connections.ListenAsync(channel,
            (_, e) =>
            {
                if (e.Payload.StartsWith(KeyChanges.OrgPrefix, StringComparison.Ordinal)) orgs.Evict(e.Payload[KeyChanges.OrgPrefix.Length..]);
                else cache.Evict(e.Payload);
            },
            listening: () =>
            {
                SetListening(true);
                log.LogDebug("Listening for key changes on {Channel}", channel);
            },
            lost: e =>
            {
                SetListening(false);
                log.LogWarning(e, "Lost the key-change listener; API keys are read from the database until it is back");
            },
            db, ReconnectDelay, clock, stoppingToken);
        SetListening(false);
    }

    private void SetListening(bool listening)
    {
        cache.SetListening(listening);
        orgs.SetListening(listening);
    }
}
