namespace Nexus.Shared.Usage;

/// <summary>
/// What one batch of request logs adds to one hourly usage record (<see cref="Counts"/> carries
/// the record's id). The web node writes it in the same bulk insert, and so the same transaction,
/// as the logs it counts; the worker folds it into the record and deletes it in one transaction.
/// So every logged request is counted exactly once, and the worker's work grows with the batches
/// written since its last run, not with the traffic of whole hours.
/// </summary>
public sealed class UsageIncrement
{
    public string Id { get; set; } = "";
    public UsageRecord Counts { get; set; } = new();

    /// <summary>
    /// The PostgreSQL advisory lock (transaction-scoped) that the fold and the test-data reset
    /// take: two folds would each add to the same record and one sum would be lost, and a fold
    /// that read a test-mode record before a reset deleted it would store it again afterwards.
    /// Advisory locks belong to the whole database, so the lock is named by the schema: deployments
    /// (or test classes) that share a database each fold their own schema's increments without
    /// waiting on, or being skipped for, another's fold.
    /// </summary>
    public const string FoldLockSql = "hashtextextended('nexus usage fold ' || ?, 0)";

    public static IReadOnlyList<UsageIncrement> Of(IEnumerable<RequestLogs.RequestLog> logs) =>
        UsageRollup.Roll(logs).Select(counts => new UsageIncrement { Id = Common.Ids.New("usginc"), Counts = counts }).ToList();
}
