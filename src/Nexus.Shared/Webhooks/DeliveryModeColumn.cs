using Marten;
using Marten.Linq.MatchesSql;
using Npgsql;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// Webhook deliveries keep their mode in a column of their own, so that a list of an org's deliveries in
/// either mode walks the list index (org_id, mode, id) and stops after a page. While the mode was only in
/// the JSON, the sandbox list of an org with heavy live traffic walked back through every live delivery,
/// and PostgreSQL often chose the primary key instead, skipping every other org's deliveries too (650 ms
/// for 400,000 rows, growing with the table). It is a column, not an index on the JSON, because every
/// delivery attempt updates the JSON twice, and an index reading the JSON would stop those updates from
/// being heap-only (see NexusStore).
/// <para>
/// Tables from before the column have rows without one. Marten adds a duplicated column with one UPDATE
/// of every row, with the table locked until it ends: on a large deliveries table, an outage of webhooks
/// and of every API call that emits an event. Instead, start-up adds the column empty
/// (<see cref="AddWithoutRewriteAsync"/>, no rewrite, so Marten finds nothing to add), the worker fills
/// it a batch at a time (<see cref="FillBatchAsync"/>), and until no row lacks it, lists also match the
/// rows still without one by their JSON (<see cref="InModeAsync"/>), as fast as before the column.
/// A partial index holds exactly those rows, so asking whether any is left costs nothing.
/// </para>
/// </summary>
public sealed class DeliveryModeColumn(IDocumentStore store, NpgsqlDataSource db)
{
    public const string Column = "mode";
    public const string MissingIndexName = "mt_doc_webhookdelivery_idx_mode_missing";
    public const string MissingPredicate = "mode is null";

    /// <summary>The rows of a mode, whether their column is filled yet or not (unqualified: it serves selects and deletes).</summary>
    private const string EitherSql = "(mode = ? or (mode is null and data ->> 'Mode' = ?))";

    private readonly string _table = store.Options.Schema.For<WebhookDelivery>();

    // Once every row has its mode it stays so: rows are written with it from then on. A node of an older
    // version still running beside this one (a rolling upgrade) may write a few without; the worker fills
    // those within a minute, and until then they are missing from this node's lists.
    private volatile bool _filled;

    /// <summary>Whether no delivery is left without its mode column.</summary>
    public async ValueTask<bool> FilledAsync(CancellationToken ct)
    {
        if (_filled) return true;
        await using var command = db.CreateCommand($"select not exists (select 1 from {_table} where {MissingPredicate})");
        return _filled = (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>An org's deliveries in one mode: by the column, or, while some rows lack it, by either.</summary>
    public async Task<IQueryable<WebhookDelivery>> InModeAsync(IQueryable<WebhookDelivery> query, string orgId, Mode mode, CancellationToken ct) =>
        await FilledAsync(ct)
            ? query.Where(d => d.OrgId == orgId && d.Mode == mode)
            : query.Where(d => d.OrgId == orgId && d.MatchesSql(EitherSql, mode.ToString(), mode.ToString()));

    /// <summary>Deletes an org's deliveries in one mode, filled or not (a rare call: it does not ask which).</summary>
    public static void DeleteWhere(IDocumentSession session, string orgId, Mode mode) =>
        session.DeleteWhere<WebhookDelivery>(d => d.OrgId == orgId && d.MatchesSql(EitherSql, mode.ToString(), mode.ToString()));

    /// <summary>
    /// Fills the mode of up to <paramref name="batch"/> rows that lack it, oldest first, from their JSON.
    /// Rows a worker holds locked (a claim in progress) are skipped and filled by a later batch.
    /// </summary>
    public async Task<int> FillBatchAsync(int batch, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            update {_table} set {Column} = data ->> 'Mode'
            where id in (select id from {_table} where {MissingPredicate} order by id limit $1 for update skip locked)
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batch });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Adds the column, empty, to a deliveries table that exists without it; does nothing otherwise
    /// (a new table is made with it). Adding a nullable column without a default rewrites nothing;
    /// it waits at most 5 s for the table's lock, so that it never holds up the table's traffic for
    /// longer behind a long transaction (the start-up tries again).
    /// </summary>
    public static async Task AddWithoutRewriteAsync(IDocumentStore store, NpgsqlConnection connection, CancellationToken ct)
    {
        var table = store.Options.Schema.For<WebhookDelivery>();
        await using (var check = new NpgsqlCommand("""
            select to_regclass($1) is not null
               and not exists (select 1 from pg_attribute where attrelid = to_regclass($1) and attname = $2 and not attisdropped)
            """, connection))
        {
            check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
            check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Column });
            if (!(bool)(await check.ExecuteScalarAsync(ct))!) return;
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var add = new NpgsqlCommand($"set local lock_timeout = '5s'; alter table {table} add column if not exists {Column} varchar", connection, transaction))
            await add.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
