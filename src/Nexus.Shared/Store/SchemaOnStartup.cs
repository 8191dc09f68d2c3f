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
            await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync(ct: ct);
            await RequestLogStatistics.ApplyAsync(store, db, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not create or update the database schema yet ({Reason}); retrying in the background", e.Message);
            return false;
        }
    }
}
