using Marten;
using Npgsql;

namespace Nexus.Shared.RateLimits;

/// <summary>What one call of <c>nx_rate_lease</c> answered: requests admitted, the tightest counter (0-based), and per counter its grant and its count after it.</summary>
internal readonly record struct Lease(int Admitted, int Tightest, int[] Grants, int[] Counts);

/// <summary>
/// The SQL side of the rate-limit counters: the lease function (created once per schema), leasing,
/// giving unused units back, and deleting finished windows. <see cref="RateCounters"/> decides
/// when to call it; the worker's cleanup job uses it alone.
/// </summary>
public sealed class RateCounterDatabase(IDocumentStore store, NpgsqlDataSource db)
{
    private volatile bool _ensured;

    private string Table => $"{store.Options.DatabaseSchemaName}.{RateCounters.TableName}";

    /// <summary>Creates the table and (replacing the old one-unit function) the lease function, once per process.</summary>
    internal async Task EnsureAsync(CancellationToken ct)
    {
        if (_ensured) return;
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(RateCounterTable), ct);
        var schema = store.Options.DatabaseSchemaName;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Several nodes may start at once: one "create or replace" at a time.
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", conn, tx))
        {
            lockCmd.Parameters.Add(new NpgsqlParameter { Value = "nx_rate_lease:" + schema });
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using (var create = new NpgsqlCommand(RateCounterSchema.FunctionSql(schema, RateCounters.TableName, RateCounters.FunctionName), conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await using (var drop = new NpgsqlCommand(string.Format(RateCounterSchema.DropOldFunctionSql, schema), conn, tx))
            await drop.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        _ensured = true;
    }

    /// <summary>One call of <c>nx_rate_lease</c> for the limits short of units (see <see cref="RateCounterSchema.FunctionSql"/>).</summary>
    internal async Task<Lease> LeaseAsync(RateLimit[] limits, int[] held, int requests, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand($"select {store.Options.DatabaseSchemaName}.{RateCounters.FunctionName}($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = limits.Select(l => l.Bucket).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limits.Select(l => l.WindowStart(now).UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limits.Select(l => l.Limit).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held });
        cmd.Parameters.Add(new NpgsqlParameter { Value = requests });
        cmd.Parameters.Add(new NpgsqlParameter { Value = RateCounters.SliceDivisor });
        cmd.Parameters.Add(new NpgsqlParameter { Value = RateCounters.MaxSlice });
        // [admitted, tightest (1-based), grant of each limit…, count of each limit after its grant…]
        var answer = (int[])(await cmd.ExecuteScalarAsync())!;
        var n = limits.Length;
        return new Lease(answer[0], answer[1] - 1, answer[2..(2 + n)], answer[(2 + n)..]);
    }

    /// <summary>Takes units a node leased and did not use off the shared counts; <paramref name="unused"/> comes in bucket order.</summary>
    internal async Task GiveBackAsync(IReadOnlyList<(string Bucket, DateTimeOffset WindowStart, int Units)> unused, CancellationToken ct)
    {
        // One statement per counter, in bucket order like the lease function, so the two never deadlock.
        await using var batch = db.CreateBatch();
        foreach (var (bucket, windowStart, units) in unused)
        {
            var cmd = new NpgsqlBatchCommand($"update {Table} set count = greatest(0, count - $3) where bucket = $1 and window_start = $2");
            cmd.Parameters.Add(new NpgsqlParameter { Value = bucket });
            cmd.Parameters.Add(new NpgsqlParameter { Value = windowStart.UtcDateTime });
            cmd.Parameters.Add(new NpgsqlParameter { Value = units });
            batch.BatchCommands.Add(cmd);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes windows that ended before <paramref name="cutoff"/>, a batch at a time; returns how many went.</summary>
    public async Task<int> DeleteOldAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(RateCounterTable), ct);
        await using var cmd = db.CreateCommand($"""
            delete from {Table} where ctid in (select ctid from {Table} where window_start < $1 limit $2)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = cutoff.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
