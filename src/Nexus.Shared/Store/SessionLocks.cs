using Marten;
using Npgsql;

namespace Nexus.Shared.Store;

/// <summary>
/// The two locks the managers take inside a Marten session's transaction (both released on commit
/// or rollback): a named advisory lock, to serialize checks such as "at most 25 keys per org",
/// and row locks on documents, so a change starts from, and cannot overwrite, another
/// writer's (the worker changes endpoints and deliveries with row-level SQL).
/// </summary>
public static class SessionLocks
{
    public static async Task LockNameAsync(this IDocumentSession session, string name, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@name, 7231))", (NpgsqlConnection)session.Connection!);
        cmd.Parameters.AddWithValue("name", name);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Locks the row of document <typeparamref name="T"/> <paramref name="id"/> (a missing row locks nothing).</summary>
    public static Task LockRowAsync<T>(this IDocumentSession session, string id, CancellationToken ct) =>
        session.LockRowsAsync<T>([id], ct);

    /// <summary>
    /// Locks the rows of documents <typeparamref name="T"/> with these ids, waiting for any other writer
    /// of them to finish (missing rows lock nothing). In id order, as event retention locks deliveries,
    /// so two transactions locking overlapping sets cannot each hold a row the other waits for.
    /// </summary>
    public static async Task LockRowsAsync<T>(this IDocumentSession session, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"select 1 from {session.DocumentStore.Options.Schema.For<T>()} where id = any(@ids) order by id for update",
            (NpgsqlConnection)session.Connection!);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
