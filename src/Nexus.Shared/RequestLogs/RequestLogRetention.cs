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

    /// <summary>Deletes at most <paramref name="batchSize"/> expired logs; returns how many went.</summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        var logs = store.Options.Schema.For<RequestLog>();
        var orgs = store.Options.Schema.For<Accounts.Organization>();
        // Logs of orgs that no longer exist are kept for the default period.
        var sql = $"""
            delete from {logs} where id in (
                select l.id from {logs} l
                left join {orgs} o on o.id = l.org_id
                where l.at < @now - make_interval(days => coalesce((o.data->>'{nameof(Accounts.Organization.RequestLogRetentionDays)}')::int, {DefaultDays}))
                limit @batch)
            """;
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
