using Marten;
using Npgsql;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Deletes request logs older than their org's retention, a bounded batch at a time so a large
/// backlog never holds long locks or one huge transaction.
/// </summary>
public static class RequestLogRetention
{
    public const int DefaultDays = 30;

    /// <summary>
    /// The retentions an org can choose (Settings): from a day, for an org that wants as little
    /// traffic data kept as possible, to 90 days, for one that investigates over a quarter.
    /// </summary>
    public static readonly IReadOnlyList<int> ChoicesInDays = [1, 3, 7, 14, DefaultDays, 60, 90];

    /// <summary>Deletes at most <paramref name="batchSize"/> expired logs; returns how many went.</summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(DeleteBatchSql(store));
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The statement of one batch (parameters <c>@now</c> and <c>@batch</c>). It goes org by org and
    /// mode by mode, oldest first, on the (org_id, mode, at) index (<see cref="Store.ListIndex"/>):
    /// each costs one index descent when it has nothing expired. Each org's cutoff is its own, so a
    /// single condition on <c>at</c> could not use an index, and the job read the whole table on
    /// every run (1.1 s for 1.3 million rows, against 4 ms this way). Only the logs of orgs that
    /// exist are visited: Nexus never deletes an org (a feature that does must delete the org's logs with it).
    /// </summary>
    public static string DeleteBatchSql(IDocumentStore store)
    {
        var logs = store.Options.Schema.For<RequestLog>();
        var orgs = store.Options.Schema.For<Accounts.Organization>();
        var modes = string.Join(", ", Enum.GetNames<Common.Mode>().Select(m => $"('{m}')"));
        return $"""
            delete from {logs} where id in (
                select l.id from {orgs} o
                cross join (values {modes}) m(mode)
                cross join lateral (
                    select l.id from {logs} l
                    where l.org_id = o.id and l.data ->> '{nameof(RequestLog.Mode)}' = m.mode
                      and l.at < @now - make_interval(days => coalesce((o.data->>'{nameof(Accounts.Organization.RequestLogRetentionDays)}')::int, {DefaultDays}))
                    order by l.at
                    limit @batch) l
                limit @batch)
            """;
    }
}
