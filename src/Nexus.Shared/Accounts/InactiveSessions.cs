using Marten;
using Npgsql;
using Nexus.Shared.Store;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Deletes sessions that ended, or were last seen, more than <see cref="KeepFor"/> ago, a bounded
/// batch at a time. A session unseen for <see cref="UserSession.IdleLimit"/> is already of no use (its
/// cookie has expired); the longer margin keeps recent ones for whoever looks into a sign-in.
/// </summary>
public static class InactiveSessions
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    /// <summary>When a session stopped being used: the earlier of last seen and ended.</summary>
    private static readonly EarliestTimeIndex<UserSession> Since = new(
        "mt_doc_usersession_idx_inactive_since", nameof(UserSession.LastSeenAt), nameof(UserSession.EndedAt));

    public static string IndexName => Since.IndexName;
    public static string InactiveSince(string schema) => Since.Expression(schema);
    public static string IndexMask(string schema) => Since.IndexMask(schema);

    /// <summary>Deletes at most <paramref name="batchSize"/> sessions inactive since before <paramref name="cutoff"/>; returns how many went.</summary>
    public static Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        Since.DeleteBatchAsync(store, db, cutoff, batchSize, ct);
}
