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

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
