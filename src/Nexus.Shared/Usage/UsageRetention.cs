using Marten;
using Npgsql;

namespace Nexus.Shared.Usage;

/// <summary>
/// Deletes hourly usage records once no view can show them. The longest period the API and the
/// Usage page offer is 30 days (<see cref="UsagePeriods"/>); records are kept three times that, so
/// a longer view can be added without a gap. Kept forever, they grew by a record per key, endpoint
/// and hour of traffic: 480,000 a day for 1,000 keys on 20 endpoints.
/// </summary>
public static class UsageRetention
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(90);

    /// <summary>Deletes at most <paramref name="batchSize"/> records of hours that began before <paramref name="cutoff"/>, off the hour index.</summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var records = store.Options.Schema.For<UsageRecord>();
        await using var cmd = db.CreateCommand($"delete from {records} where id in (select id from {records} where hour < @cutoff limit @batch)");
        cmd.Parameters.AddWithValue("cutoff", cutoff);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
