using Marten;
using Npgsql;
using Nexus.Shared.Store;

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

    /// <summary>When an invitation stopped being pending: the first of expired, accepted and revoked.</summary>
    private static readonly EarliestTimeIndex<Invitation> Finished = new(
        "mt_doc_invitation_idx_finished_at", nameof(Invitation.ExpiresAt), nameof(Invitation.AcceptedAt), nameof(Invitation.RevokedAt));

    public static string IndexName => Finished.IndexName;
    public static string FinishedAt(string schema) => Finished.Expression(schema);
    public static string IndexMask(string schema) => Finished.IndexMask(schema);

    /// <summary>Deletes at most <paramref name="batchSize"/> invitations that finished before <paramref name="cutoff"/>; returns how many went.</summary>
    public static Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        Finished.DeleteBatchAsync(store, db, cutoff, batchSize, ct);
}
