namespace Nexus.Worker.Housekeeping;

/// <summary>
/// How every housekeeping job deletes (or fills in) rows: a bounded batch at a time (no long locks, no huge
/// transaction), at most a bounded number of batches per run, and a failure only logged: the
/// next run carries on where this one stopped.
/// </summary>
public static class Batches
{
    public const int MaxBatchesPerRun = 200;

    /// <summary>Runs <paramref name="deleteBatch"/> until it deletes less than <paramref name="batchSize"/>; returns the total.</summary>
    public static Task<int> DeleteAsync(Func<CancellationToken, Task<int>> deleteBatch, int batchSize, ILogger log, string what, CancellationToken ct) =>
        RunAsync(deleteBatch, batchSize, log, "Deleting", "Deleted", what, ct);

    /// <summary>Runs <paramref name="batch"/> until it changes less than <paramref name="batchSize"/> rows; returns the total.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> batch, int batchSize, ILogger log, string doing, string done, string what, CancellationToken ct)
    {
        var total = 0;
        try
        {
            for (var i = 0; i < MaxBatchesPerRun; i++)
            {
                var changed = await batch(ct);
                total += changed;
                if (changed < batchSize) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "{Doing} {What} stopped after {Count} rows; the next run continues", doing, what, total);
            return total;
        }
        if (total > 0) log.LogInformation("{Done} {Count} {What}", done, total, what);
        return total;
    }
}
