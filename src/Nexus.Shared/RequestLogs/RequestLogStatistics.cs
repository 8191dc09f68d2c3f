using Marten;
using Npgsql;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Keeps PostgreSQL's automatic ANALYZE of the request log small. ANALYZE samples 300 rows per unit
/// of a table's largest statistics target (30,000 rows at the default of 100) and runs each time a
/// tenth of the table is new. The log is the busiest table, so while it grows that happens every
/// minute, and at half a million rows each sample took about 0.4 s of one core (measured), the
/// largest burst of database work after the inserts themselves. The planner needs little from it:
/// every read goes through (org_id, at), the primary key or the BRIN on at, and the jsonb body is
/// never compared as a whole, so its statistics were never used. Coarse statistics on org_id and at
/// and none on id and data cut each ANALYZE to about a tenth (0.04 s). PostgreSQL keeps the setting
/// per column; Marten's schema migration neither sets nor resets it, so this runs after it, and
/// again on every start (it takes only a lock that reads and inserts do not wait for).
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
    }
}
