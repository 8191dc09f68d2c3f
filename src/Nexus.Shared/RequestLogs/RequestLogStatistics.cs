using Marten;
using Npgsql;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Keeps PostgreSQL's automatic ANALYZE of the request log small. ANALYZE samples 300 rows per unit
/// of a table's largest statistics target (30,000 rows at the default of 100) and runs each time a
/// tenth of the table is new. The log is the busiest table, so while it grows that happens every
/// minute, and at half a million rows each sample took about 0.4 s of one core (measured), the
/// largest burst of database work after the inserts themselves. The planner needs little from it:
/// every read goes through (org_id, mode, at), the primary key or the BRIN on at, and the jsonb body is
/// never compared as a whole, so its statistics were never used. Coarse statistics on org_id, at and
/// the index's mode expression (an index expression has statistics of its own, and the largest target
/// sets the sample) and none on id and data cut each ANALYZE to about a tenth (0.04 s). PostgreSQL keeps the setting
/// per column; Marten's schema migration neither sets nor resets it, so this runs after it, and
/// again on every start (it takes only a lock that reads and inserts do not wait for).
/// <para>
/// One thing the planner does need: how many of an org's logs are in the listed mode. Lists filter
/// on the mode inside the jsonb, and without statistics PostgreSQL guesses half a percent of rows
/// match; it then read and sorted all the org's logs rather than walk the org's index newest first and
/// stop after a page (70 ms against 0.2 ms for an org of 14,400 logs). An extended statistics object
/// on that one expression (PostgreSQL 14 and later) tells it, at the same coarse target.
/// </para>
/// </summary>
public static class RequestLogStatistics
{
    /// <summary>Statistics target of the columns the planner estimates from (org_id, at).</summary>
    public const int CoarseTarget = 10;

    public static async Task ApplyAsync(IDocumentStore store, NpgsqlDataSource db, CancellationToken ct)
    {
        var logs = store.Options.Schema.For<RequestLog>();
        await using var cmd = db.CreateCommand($"""
            alter table {logs}
                alter column data set statistics 0,
                alter column id set statistics 0,
                alter column org_id set statistics {CoarseTarget},
                alter column at set statistics {CoarseTarget}
            """);
        await cmd.ExecuteNonQueryAsync(ct);
        // The list index's second column is the mode expression (Store.ListIndex); the failed requests'
        // index has the mode and the status class as its second and third (RequestLogErrors).
        await using (var index = db.CreateCommand($"""
            alter index {store.Options.DatabaseSchemaName}.{ListIndexName} alter column 2 set statistics {CoarseTarget};
            alter index {store.Options.DatabaseSchemaName}.{RequestLogErrors.Name} alter column 2 set statistics {CoarseTarget}, alter column 3 set statistics {CoarseTarget};
            """))
            await index.ExecuteNonQueryAsync(ct);

        await using var connection = await db.OpenConnectionAsync(ct);
        if (connection.PostgreSqlVersion.Major < 14) return;
        var name = $"{store.Options.DatabaseSchemaName}.{ModeStatistics}";
        await using var create = new NpgsqlCommand($"""
            create statistics if not exists {name} on (({nameof(RequestLog.Mode).ToJsonPath()})) from {logs};
            alter statistics {name} set statistics {CoarseTarget};
            """, connection);
        await create.ExecuteNonQueryAsync(ct);
        // Built by the next ANALYZE; a table that has had none since the object was made gets one
        // now (coarse, so a fraction of a second even for a large table) rather than wait for autovacuum.
        await using var analyze = new NpgsqlCommand($"""
            do $$ begin
                if not exists (select 1 from pg_statistic_ext e join pg_statistic_ext_data d on d.stxoid = e.oid
                               where e.stxname = '{ModeStatistics}' and e.stxnamespace = '{store.Options.DatabaseSchemaName}'::regnamespace)
                then analyze {logs};
                end if;
            end $$
            """, connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The (org_id, mode, at) index the lists and retention walk.</summary>
    public static readonly string ListIndexName = Store.ListIndex.Name(Table, Order);

    /// <summary>The log table and the order its lists walk, as <see cref="Store.NexusStore"/> configures its list index.</summary>
    internal const string Table = "mt_doc_requestlog", Order = "at";

    /// <summary>The extended statistics object on the logs' mode (see the remarks above).</summary>
    public const string ModeStatistics = "mt_doc_requestlog_mode_stats";

    private static string ToJsonPath(this string field) => $"data ->> '{field}'";
}
