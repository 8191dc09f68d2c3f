using Npgsql;

namespace Nexus.Shared.Store;

/// <summary>
/// Connections for LISTEN, outside the pool. A listener holds its connection for the life of the
/// process and leaves the session listening; it must neither take a slot of the request pool nor go
/// back into it, because pooled connections are not reset when returned (see <see cref="NexusStore"/>),
/// so the next borrower would inherit the subscription.
/// </summary>
public sealed class NotificationConnections(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source =
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => _source.OpenConnectionAsync(ct);

    /// <summary>
    /// Keeps one connection LISTENing on <paramref name="channel"/> until <paramref name="ct"/> is
    /// cancelled. After every (re)connect it calls <paramref name="listening"/>; when the connection
    /// fails it calls <paramref name="lost"/>, clears <paramref name="pool"/> (a lost listener usually
    /// means the server restarted, so the pool's idle connections are dead too, and whatever the
    /// reconnect wakes must not fail on one of them) and tries again after <paramref name="retryDelay"/>.
    /// </summary>
    public async Task ListenAsync(string channel, NotificationEventHandler notified, Action listening, Action<Exception> lost,
        NpgsqlDataSource pool, TimeSpan retryDelay, TimeProvider clock, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await OpenAsync(ct);
                conn.Notification += notified;
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", conn))
                    await listen.ExecuteNonQueryAsync(ct);
                listening();
                while (true) await conn.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lost(e);
                pool.Clear();
                try { await Task.Delay(retryDelay, clock, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
