using Marten;
using Npgsql;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Deletes sessions that ended, or were last seen, more than <see cref="KeepFor"/> ago, a bounded
/// batch at a time. A session unseen for <see cref="UserSession.IdleLimit"/> is already of no use (its
/// cookie has expired); the longer margin keeps recent ones for whoever looks into a sign-in.
/// </summary>
public static class InactiveSessions
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    public const string IndexName = "mt_doc_usersession_idx_inactive_since";

    /// <summary>When a session stopped being used: the earlier of last seen and ended (least() skips nulls).</summary>
    public static string InactiveSince(string schema) => $"least({At(schema, nameof(UserSession.LastSeenAt))}, {At(schema, nameof(UserSession.EndedAt))})";

    /// <summary>The mask of the index on <see cref="InactiveSince"/> (NexusStore): Marten puts its LastSeenAt expression in for "?".</summary>
    public static string IndexMask(string schema) => $"least(?, {At(schema, nameof(UserSession.EndedAt))})";

    // As Marten writes a DateTimeOffset member in its computed indexes.
    private static string At(string schema, string member) => $"{schema}.mt_immutable_timestamptz(data ->> '{member}')";

    /// <summary>Deletes at most <paramref name="batchSize"/> sessions inactive since before <paramref name="cutoff"/>; returns how many went.</summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var table = store.Options.Schema.For<UserSession>();
        // The indexed expression itself (NexusStore), so the planner can use the index.
        await using var cmd = db.CreateCommand($"""
            delete from {table} where id in (select id from {table} where {InactiveSince(store.Options.DatabaseSchemaName)} < @cutoff limit @batch)
            """);
        cmd.Parameters.AddWithValue("cutoff", cutoff);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
