using Marten;
using Npgsql;
using NpgsqlTypes;
using Nexus.Shared.Usage;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Writes one batch of request logs, with the usage it adds (<see cref="UsageIncrement"/>), in one
/// transaction by binary COPY into Marten's tables, committed asynchronously.
/// </summary>
/// <remarks>
/// <para>
/// Why not Marten's bulk insert, which did this before: it owns its transaction, and this one
/// commits with <c>synchronous_commit = off</c>. The commit returns before PostgreSQL has flushed
/// it to disk; the WAL writer flushes it within a few hundred milliseconds. Waiting for that flush
/// was the largest part of what request logging added to the API's tail latency (bench/HISTORY.md,
/// "Probes, 2026-11-25"). The cost is bounded and of the writer's own kind: if PostgreSQL itself
/// crashes, the last moment of committed logs and their usage can be lost, as an app crash can
/// already lose the in-memory queue. No API data is written this way, and a batch stays atomic:
/// its logs and its usage are kept or lost together.
/// </para>
/// <para>
/// The rows are Marten's own: its serializer writes <c>data</c>, and the duplicated columns are the
/// ones <see cref="Store.NexusStore"/> maps. <c>RequestLogCopyTests</c> fails when a mapping change
/// gives either table a column this list lacks.
/// </para>
/// </remarks>
public static class RequestLogCopy
{
    public static readonly string[] LogColumns = ["id", "data", "org_id", "at"];
    public static readonly string[] IncrementColumns = ["id", "data"];
    public const string LogTable = RequestLogStatistics.Table, IncrementTable = "mt_doc_usageincrement";

    /// <summary>
    /// <c>SET LOCAL</c> ends with the transaction, so the pooled connection goes back as it came
    /// (the pool does not reset connections, see NexusStore). Npgsql sends it with the deferred BEGIN.
    /// </summary>
    public const string AsynchronousCommit = "set local synchronous_commit = off";

    public static async Task WriteAsync(IDocumentStore store, NpgsqlDataSource db, IReadOnlyList<RequestLog> logs, CancellationToken ct)
    {
        if (logs.Count == 0) return;
        var database = store.Options.Tenancy.Default.Database;
        await database.EnsureStorageExistsAsync(typeof(RequestLog), ct);
        await database.EnsureStorageExistsAsync(typeof(UsageIncrement), ct);
        var serializer = store.Options.Serializer();
        var schema = store.Options.DatabaseSchemaName;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var asynchronous = new NpgsqlCommand(AsynchronousCommit, conn, tx))
            await asynchronous.ExecuteNonQueryAsync(ct);

        await using (var copy = await conn.BeginBinaryImportAsync(CopySql(schema, LogTable, LogColumns), ct))
        {
            foreach (var log in logs)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(log.Id, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(serializer.ToJson(log), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(log.OrgId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(log.At.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await conn.BeginBinaryImportAsync(CopySql(schema, IncrementTable, IncrementColumns), ct))
        {
            foreach (var increment in UsageIncrement.Of(logs))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(increment.Id, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(serializer.ToJson(increment), NpgsqlDbType.Jsonb, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static string CopySql(string schema, string table, string[] columns) =>
        $"copy {schema}.{table} ({string.Join(", ", columns)}) from stdin (format binary)";
}
