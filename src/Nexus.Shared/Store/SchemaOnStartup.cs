using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nexus.Shared.RequestLogs;
using Npgsql;

namespace Nexus.Shared.Store;

/// <summary>
/// Creates or updates every table before the process serves anything. Left to Marten's lazy
/// creation, the first burst of concurrent requests on a fresh database queues behind the DDL and
/// times out with 500s. Unlike Marten's own ApplyAllDatabaseChangesOnStartup, a database that is
/// down does not stop the process from starting: it starts, reports not-ready, and this keeps
/// trying in the background (another process racing on the same fresh schema is also retried).
/// </summary>
public sealed class SchemaOnStartup(IDocumentStore store, NpgsqlDataSource db, TimeProvider clock, ILogger<SchemaOnStartup> log) : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryApplyAsync(cancellationToken)) return;
        _ = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                try { await Task.Delay(RetryDelay, clock, _stopping.Token); }
                catch (OperationCanceledException) { return; }
                if (await TryApplyAsync(_stopping.Token)) return;
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private async Task<bool> TryApplyAsync(CancellationToken ct)
    {
        try
        {
            await ApplyAsync(store, db, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not create or update the database schema yet ({Reason}); retrying in the background", e.Message);
            return false;
        }
    }

    /// <summary>
    /// Brings the schema up to date, one process at a time: the web and the worker start together,
    /// and an index an upgrade adds is built concurrently, outside the lock Marten takes for its own
    /// statements. Without this lock the second process found the first one's index still being
    /// built (invalid), dropped it and built it again: twice the build on a large table. It waits
    /// for the first, then finds nothing to change. The lock is per schema and session-level, held on
    /// a connection of its own and released before that connection goes back to the pool (a process
    /// that dies releases it with its connection). It is tried, not waited for: a statement waiting
    /// for it is a transaction that a concurrent index build in turn waits for, a deadlock PostgreSQL
    /// cannot see (the lock is held by another connection than the build's).
    /// <paramref name="waiting"/> is called each time the lock is found taken.
    /// </summary>
    public static async Task ApplyAsync(IDocumentStore store, NpgsqlDataSource db, CancellationToken ct, Action? waiting = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        while (true)
        {
            await using var take = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended('nexus schema ' || @schema, 0))", connection);
            take.Parameters.AddWithValue("schema", store.Options.DatabaseSchemaName);
            if ((bool)(await take.ExecuteScalarAsync(ct))!) break;
            waiting?.Invoke();
            await Task.Delay(LockRetry, ct);
        }
        try
        {
            // Before Marten's changes, which would otherwise add the column with an UPDATE of every row.
            await Webhooks.DeliveryModeColumn.AddWithoutRewriteAsync(store, connection, ct);
            await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync(ct: ct);
            await RequestLogStatistics.ApplyAsync(store, db, ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock_all()", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
