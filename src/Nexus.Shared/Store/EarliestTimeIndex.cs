using Marten;
using Npgsql;

namespace Nexus.Shared.Store;

/// <summary>
/// An expression index on the earliest of some <see cref="DateTimeOffset"/> members of a document
/// (<c>least()</c> skips nulls), and a bounded delete of the documents whose earliest time is before a
/// cutoff: how the housekeeping jobs find the rows they are done with, through one index rather than
/// one per member. Marten writes the index from <see cref="IndexMask"/> (NexusStore) on the first member.
/// </summary>
public sealed class EarliestTimeIndex<T>(string indexName, string indexedMember, params string[] otherMembers)
{
    public string IndexName => indexName;

    /// <summary>The indexed expression, as a query must write it for the planner to use the index.</summary>
    public string Expression(string schema) => $"least({string.Join(", ", new[] { indexedMember }.Concat(otherMembers).Select(m => At(schema, m)))})";

    /// <summary>The index's mask: Marten puts its own expression for the first member in for "?".</summary>
    public string IndexMask(string schema) => $"least(?, {string.Join(", ", otherMembers.Select(m => At(schema, m)))})";

    // As Marten writes a DateTimeOffset member in its computed indexes.
    private static string At(string schema, string member) => $"{schema}.mt_immutable_timestamptz(data ->> '{member}')";

    /// <summary>Deletes at most <paramref name="batchSize"/> documents whose earliest time is before <paramref name="cutoff"/>; returns how many went.</summary>
    public async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var table = store.Options.Schema.For<T>();
        await using var cmd = db.CreateCommand($"""
            delete from {table} where id in (select id from {table} where {Expression(store.Options.DatabaseSchemaName)} < @cutoff limit @batch)
            """);
        cmd.Parameters.AddWithValue("cutoff", cutoff);
        cmd.Parameters.AddWithValue("batch", batchSize);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
