namespace Nexus.Worker.Housekeeping;

/// <summary>
/// How every housekeeping job deletes: a bounded batch at a time (no long locks, no huge
/// transaction), at most a bounded number of batches per run, and a failure only logged: the
/// next run carries on where this one stopped.
/// </summary>
public static class Batches
{
    public const int MaxBatchesPerRun = 200;

    /// <summary>Runs <paramref name="deleteBatch"/> until it deletes less than <paramref name="batchSize"/>; returns the total.</summary>
    public static async Task<int> DeleteAsync(Func<CancellationToken, Task<int>> deleteBatch, int batchSize, ILogger log, string what, CancellationToken ct)
    {
        var total = 0;
        try
        {
            for (var i = 0; i < MaxBatchesPerRun; i++)
            {
                var deleted = await deleteBatch(ct);
                total += deleted;
                if (deleted < batchSize) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Deleting {What} stopped after {Count} rows; the next run continues", what, total);
            return total;
        }
        if (total > 0) log.LogInformation("Deleted {Count} {What}", total, what);
        return total;
    }
}
