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
/// limits of one request are taken in one transaction: each counter is increased only while it
/// is below its limit, and if any one is full the transaction rolls back, so a refused request
/// spends nothing. The row locks of the upserts make concurrent requests exact, and taking the
/// counters in one fixed order (by bucket) keeps two requests from deadlocking.
/// </summary>
public sealed class RateCounters(IDocumentStore store, NpgsqlDataSource db)
{
    public const string TableName = "nx_rate_counters";
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

        if (!_ensured)
        {
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(RateCounterTable), ct);
            _ensured = true;
        }

        var ordered = limits.OrderBy(l => l.Bucket, StringComparer.Ordinal).ToList();
        var table = $"{store.Options.DatabaseSchemaName}.{TableName}";
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One round trip for all the limits (plus the commit).
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var limit in ordered)
        {
            var command = new NpgsqlBatchCommand($"""
                insert into {table} as c (bucket, window_start, count) values ($1, $2, 1)
                on conflict (bucket, window_start) do update set count = c.count + 1 where c.count < $3
                returning c.count
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = limit.Bucket });
            command.Parameters.Add(new NpgsqlParameter { Value = limit.WindowStart(now).UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter { Value = limit.Limit });
            batch.BatchCommands.Add(command);
        }

        var used = new int?[ordered.Count];
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            for (var i = 0; i < ordered.Count; i++)
            {
                if (await reader.ReadAsync(ct)) used[i] = reader.GetInt32(0);
                await reader.NextResultAsync(ct);
            }
        }

        var refusedAt = Array.FindIndex(used, u => u is null);
        if (refusedAt >= 0)
        {
            await tx.RollbackAsync(ct);
            Remember(ordered[refusedAt], now);
            return Refuse(ordered, ordered[refusedAt], now);
        }

        await tx.CommitAsync(ct);
        for (var i = 0; i < ordered.Count; i++)
            if (used[i] >= ordered[i].Limit) Remember(ordered[i], now);
        return new RateDecision(ordered.Select((l, i) => new RateLimitState(l, used[i]!.Value, l.WindowEnd(now))).ToList(), null);
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
