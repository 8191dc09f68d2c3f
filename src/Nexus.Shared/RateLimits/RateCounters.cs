using System.Collections.Concurrent;
using Marten;
using Npgsql;

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
        // The leader takes its own batch on its own thread (no thread-pool hop when there is no
        // queue, the common case at light load); later batches, if any, continue in the background.
        if (lead) await LeadAsync(signature, group, inline: true);
        return await waiter.Task.WaitAsync(ct);
    }

    /// <summary>Serves the group's queue in batches until it is empty, then retires the group.</summary>
    private async Task LeadAsync(string signature, Group group, bool inline)
    {
        for (var round = 0; ; round++)
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
                if (inline && round > 0)
                {
                    // Still leading (Busy stays set): hand the rest to the pool and let this request go.
                    _ = Task.Run(() => LeadAsync(signature, group, inline: false));
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
        await using (var create = new NpgsqlCommand(RateCounterSchema.FunctionSql(schema, TableName, FunctionName), conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        _ensured = true;
    }

    /// <summary>True when this node has seen the limit's current window full (no query: such a window stays full until it ends).</summary>
    public bool IsFull(RateLimit limit, DateTimeOffset now) => _full.ContainsKey((limit.Bucket, limit.WindowStart(now)));

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
