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
/// limits of a request are taken in one call of a small PL/pgSQL function, for a whole batch of
/// requests with the same limits at once: every counter grows by what fits under all of them, so
/// no limit is passed and a refused request spends nothing. Row locks make concurrent calls
/// exact, and locking the counters in one fixed order (by bucket) keeps calls from deadlocking.
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

    // Requests waiting for the same counters (same buckets, windows and limits) are taken
    // together, like a group commit: while one call is at the database, the requests that arrive
    // queue, and the next call asks for all of them at once. The database grants as many as fit,
    // so the count stays exact, and a busy org costs one call per batch instead of one per request.
    private readonly ConcurrentDictionary<string, Group> _groups = new();

    private sealed class Group(IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        public readonly Lock Gate = new();
        public readonly List<TaskCompletionSource<RateDecision>> Queue = [];
        public readonly IReadOnlyList<RateLimit> Limits = limits;
        public readonly DateTimeOffset Now = now;
        public bool Busy;
    }

    public async Task<RateDecision> TakeAsync(IReadOnlyList<RateLimit> limits, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var limit in limits)
            if (_full.ContainsKey((limit.Bucket, limit.WindowStart(now))))
                return Refuse(limits, limit, now);

        await EnsureAsync(ct);
        var ordered = limits.OrderBy(l => l.Bucket, StringComparer.Ordinal).ToList();
        var signature = string.Join('|', ordered.Select(l => $"{l.Bucket}@{l.WindowStart(now).UtcTicks}<{l.Limit}"));
        var waiter = new TaskCompletionSource<RateDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        Group group;
        bool lead;
        while (true)
        {
            group = _groups.GetOrAdd(signature, _ => new Group(ordered, now));
            lock (group.Gate)
            {
                // A group its leader has just retired is not joined: the next loop makes a new one.
                if (!_groups.TryGetValue(signature, out var current) || current != group) continue;
                group.Queue.Add(waiter);
                lead = !group.Busy;
                group.Busy = true;
            }
            break;
        }
        if (lead) _ = Task.Run(() => LeadAsync(signature, group));
        return await waiter.Task.WaitAsync(ct);
    }

    /// <summary>Serves the group's queue in batches until it is empty, then retires the group.</summary>
    private async Task LeadAsync(string signature, Group group)
    {
        while (true)
        {
            List<TaskCompletionSource<RateDecision>> batch;
            lock (group.Gate)
            {
                if (group.Queue.Count == 0)
                {
                    group.Busy = false;
                    _groups.TryRemove(new(signature, group));
                    return;
                }
                batch = [.. group.Queue];
                group.Queue.Clear();
            }

            try
            {
                var decisions = await TakeBatchAsync(group.Limits, group.Now, batch.Count);
                for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(decisions[i]);
            }
            catch (Exception e)
            {
                foreach (var waiter in batch) waiter.TrySetException(e);
            }
        }
    }

    /// <summary>One database call for <paramref name="wanted"/> requests with the same limits: the first ones get what fits, the rest are refused.</summary>
    private async Task<RateDecision[]> TakeBatchAsync(IReadOnlyList<RateLimit> ordered, DateTimeOffset now, int wanted)
    {
        await using var cmd = db.CreateCommand($"select {store.Options.DatabaseSchemaName}.{FunctionName}($1, $2, $3, $4)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.Bucket).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.WindowStart(now).UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(l => l.Limit).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wanted });
        // [granted, index (1-based) of the limit with the least room, count of each limit after the grant]
        var answer = (int[])(await cmd.ExecuteScalarAsync())!;
        var (granted, tightest) = (answer[0], ordered[answer[1] - 1]);
        var after = answer[2..];

        var decisions = new RateDecision[wanted];
        for (var k = 0; k < wanted; k++)
            decisions[k] = k < granted
                ? new RateDecision(ordered.Select((l, i) => new RateLimitState(l, after[i] - granted + k + 1, l.WindowEnd(now))).ToList(), null)
                : Refuse(ordered, tightest, now);
        for (var i = 0; i < ordered.Count; i++)
            if (after[i] >= ordered[i].Limit) Remember(ordered[i], now);
        return decisions;
    }

    /// <summary>
    /// One round trip per batch, and the row locks are held only while the function runs on the
    /// server (not across network round trips). The counters are locked in bucket order, the room
    /// left is the smallest of their rooms, and every counter grows by the same grant (at most the
    /// room), so no limit is ever passed and a refused request spends nothing. Counters commit
    /// without waiting for the WAL flush: a database crash may forget the last moment's counts
    /// (erring towards allowing), never invent them.
    /// </summary>
    private static string FunctionSql(string schema) => $"""
        create or replace function {schema}.{FunctionName}(p_buckets text[], p_windows timestamptz[], p_limits int[], p_wanted int)
        returns int[] language plpgsql as $fn$
        declare
            n int := coalesce(array_length(p_buckets, 1), 0);
            c int;
            room int := p_wanted;
            tightest int := 1;
            granted int;
            counts int[] := array[]::int[];
        begin
            set local synchronous_commit to off;
            for i in 1 .. n loop
                insert into {schema}.{TableName} (bucket, window_start, count) values (p_buckets[i], p_windows[i], 0)
                    on conflict (bucket, window_start) do nothing;
                select count into c from {schema}.{TableName}
                    where bucket = p_buckets[i] and window_start = p_windows[i] for update;
                if p_limits[i] - c < room or i = 1 then
                    if p_limits[i] - c < room then room := p_limits[i] - c; end if;
                    tightest := i;
                end if;
            end loop;
            granted := greatest(0, least(room, p_wanted));
            for i in 1 .. n loop
                update {schema}.{TableName} set count = count + granted
                    where bucket = p_buckets[i] and window_start = p_windows[i] returning count into c;
                counts := counts || c;
            end loop;
            return array[granted, tightest] || counts;
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
