using Marten;
using Npgsql;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Deletes invitations that finished (were accepted, revoked or replaced, or expired) long ago, a
/// bounded batch at a time. Nothing reads a finished invitation: its link answers like an unknown
/// one, and the team page lists pending ones only. They are kept <see cref="KeepFor"/> anyway, as a
/// margin for whoever looks at the table while debugging a recent one. The audit entries about
/// invitations are documents of their own and stay.
/// </summary>
public static class FinishedInvitations
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    public const string IndexName = "mt_doc_invitation_idx_finished_at";

    /// <summary>When an invitation stopped being pending: the first of accepted, revoked and expired (least() skips nulls).</summary>
    public static string FinishedAt(string schema) => $"least({At(schema, nameof(Invitation.ExpiresAt))}, {At(schema, nameof(Invitation.AcceptedAt))}, {At(schema, nameof(Invitation.RevokedAt))})";

    /// <summary>The mask of the index on <see cref="FinishedAt"/> (NexusStore): Marten puts its ExpiresAt expression in for "?".</summary>
    public static string IndexMask(string schema) => $"least(?, {At(schema, nameof(Invitation.AcceptedAt))}, {At(schema, nameof(Invitation.RevokedAt))})";

    // As Marten writes a DateTimeOffset member in its computed indexes.
    private static string At(string schema, string member) => $"{schema}.mt_immutable_timestamptz(data ->> '{member}')";

    /// <summary>Deletes at most <paramref name="batchSize"/> invitations that finished before <paramref name="cutoff"/>; returns how many went.</summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var table = store.Options.Schema.For<Invitation>();
        // The indexed expression itself (NexusStore), so the planner can use the index.
        await using var cmd = db.CreateCommand($"""
            delete from {table} where id in (select id from {table} where {FinishedAt(store.Options.DatabaseSchemaName)} < @cutoff limit @batch)
            """);
        cmd.Parameters.AddWithValue("cutoff", cutoff);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
