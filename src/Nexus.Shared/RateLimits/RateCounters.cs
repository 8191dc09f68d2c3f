using System.Collections.Concurrent;
using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Nexus.Shared.RateLimits;

/// <summary>
/// Rate-limit counters in PostgreSQL, so every web node spends from the same budgets. All the
/// limits of one request are taken in one call of a small PL/pgSQL function: each counter is
/// increased only while it is below its limit, and if any one is full the increments are undone,
/// so a refused request spends nothing. The row locks of the upserts make concurrent requests
/// exact, and taking the counters in one fixed order (by bucket) keeps two requests from deadlocking.
/// </summary>
public sealed class RateCounters(IDocumentStore store, NpgsqlDataSource db)
{
    public const string TableName = "nx_rate_counters";
    public const string FunctionName = "nx_rate_take";
    private volatile bool _ensured;

    // Windows this node has seen full. A count never goes down within its window, so a full
    // window can be refused from memory until it ends: a client hammering past its limit then
    // costs no query and takes no row lock that admitted requests would wait behind.
    private readonly ConcurrentDictionary<(string Bucket, DateTimeOffset WindowStart), DateTimeOffset> _full = new();

    public async Task<RateDecision> TakeAsync(IReadOnlyList<RateLimit> limits, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var limit in limits)
            if (_full.ContainsKey((limit.Bucket, limit.WindowStart(now))))
                return Refuse(limits, limit, now);

        await EnsureAsync(ct);
        var ordered = limits.OrderBy(l => l.Bucket, StringComparer.Ordinal).ToList();
        await using var cmd = db.CreateCommand($"select {store.Options.DatabaseSchemaName}.{FunctionName}($1, $2, $3)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.Bucket).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.WindowStart(now).UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.Limit).ToArray() });
        var used = (int[])(await cmd.ExecuteScalarAsync(ct))!;

        // The function answers the counts, or [-n] when the n-th limit (1-based) was full.
        if (used.Length == 1 && used[0] < 0)
        {
            var refused = ordered[-used[0] - 1];
            Remember(refused, now);
            return Refuse(ordered, refused, now);
        }
        for (var i = 0; i < ordered.Count; i++)
            if (used[i] >= ordered[i].Limit) Remember(ordered[i], now);
        return new RateDecision(ordered.Select((l, i) => new RateLimitState(l, used[i], l.WindowEnd(now))).ToList(), null);
    }

    /// <summary>
    /// One round trip per request, and the row locks are held only while the function runs on the
    /// server (not across network round trips), so requests of one busy org queue for microseconds,
    /// not milliseconds. The exception block is a subtransaction: a full limit undoes the increments
    /// already made. Counters commit without waiting for the WAL flush: a database crash may forget
    /// the last moment's counts (erring towards allowing), never invent them.
    /// </summary>
    private string FunctionSql(string schema) => $"""
        create or replace function {schema}.{FunctionName}(p_buckets text[], p_windows timestamptz[], p_limits int[])
        returns int[] language plpgsql as $fn$
        declare
            counts int[] := array[]::int[];
            c int;
            refused text;
        begin
            set local synchronous_commit to off;
            begin
                for i in 1 .. coalesce(array_length(p_buckets, 1), 0) loop
                    c := null;
                    insert into {schema}.{TableName} as r (bucket, window_start, count)
                        values (p_buckets[i], p_windows[i], 1)
                        on conflict (bucket, window_start) do update set count = r.count + 1 where r.count < p_limits[i]
                        returning r.count into c;
                    if c is null then
                        raise exception 'nx_rate_refused' using detail = i::text;
                    end if;
                    counts := counts || c;
                end loop;
            exception when raise_exception then
                get stacked diagnostics refused = pg_exception_detail;
                return array[-(refused::int)];
            end;
            return counts;
        end
        $fn$;
        """;

    private async Task EnsureAsync(CancellationToken ct)
    {
        if (_ensured) return;
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(RateCounterTable), ct);
        var schema = store.Options.DatabaseSchemaName;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Several nodes may start at once: one "create or replace" at a time.
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", conn, tx))
        {
            lockCmd.Parameters.Add(new NpgsqlParameter { Value = "nx_rate_take:" + schema });
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using (var create = new NpgsqlCommand(FunctionSql(schema), conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        _ensured = true;
    }

    private static RateDecision Refuse(IReadOnlyList<RateLimit> limits, RateLimit refused, DateTimeOffset now)
    {
        // The other limits' counts are not known here and were not spent; only the refusing one is reported.
        var states = limits.Select(l => new RateLimitState(l, l == refused ? l.Limit : 0, l.WindowEnd(now))).ToList();
        return new RateDecision(states, states.First(s => s.Limit == refused));
    }

    private void Remember(RateLimit limit, DateTimeOffset now)
    {
        if (_full.Count > 10_000)
            foreach (var (entry, ends) in _full)
                if (ends <= now) _full.TryRemove(entry, out _);
        _full[(limit.Bucket, limit.WindowStart(now))] = limit.WindowEnd(now);
    }

    /// <summary>Deletes windows that ended before <paramref name="cutoff"/>, a batch at a time; returns how many went.</summary>
    public async Task<int> DeleteOldAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(RateCounterTable), ct);
        var table = $"{store.Options.DatabaseSchemaName}.{TableName}";
        await using var cmd = db.CreateCommand($"""
            delete from {table} where ctid in (select ctid from {table} where window_start < $1 limit $2)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = cutoff.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The schema object behind <see cref="RateCounters"/>; registered in <c>NexusStore.Configure</c>.</summary>
public sealed class RateCounterTable(StoreOptions options) : FeatureSchemaBase("RateCounters", options.Advanced.Migrator)
{
    public override Type StorageType => typeof(RateCounterTable);

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(options.DatabaseSchemaName, RateCounters.TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("bucket").AsPrimaryKey();
        table.AddColumn("window_start", "timestamptz").AsPrimaryKey();
        table.AddColumn<int>("count").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_nx_rate_counters_window") { Columns = ["window_start"] });
        yield return table;
    }
}
