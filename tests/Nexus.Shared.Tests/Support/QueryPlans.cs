using System.Text.Json;
using Marten;
using Npgsql;

namespace Nexus.Shared.Tests.Support;

/// <summary>What a query really reads, from PostgreSQL's EXPLAIN ANALYZE of the command Marten sends.</summary>
public static class QueryPlans
{
    /// <summary>
    /// Runs <paramref name="query"/> under EXPLAIN ANALYZE and returns the rows its nodes on
    /// <paramref name="table"/> returned or filtered out. Not exact: EXPLAIN gives a node's rows per
    /// loop as a rounded average.
    /// </summary>
    public static Task<double> RowsReadAsync<T>(IDocumentStore store, IQueryable<T> query, string table) where T : notnull =>
        RowsReadAsync(store, Marten.QueryableExtensions.ToCommand(query, Marten.Linq.FetchType.FetchMany), table);

    /// <summary>The same for a command Marten made (<c>QueryableExtensions.ToCommand</c>).</summary>
    public static async Task<double> RowsReadAsync(IDocumentStore store, NpgsqlCommand command, string table)
    {
        command.CommandText = "explain (analyze, format json) " + command.CommandText;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        command.Connection = connection;
        using var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        return RowsRead(plan.RootElement[0].GetProperty("Plan"), table);
    }

    public static double RowsRead(JsonElement node, string table)
    {
        var rows = 0.0;
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table)
            rows += node.GetProperty("Actual Rows").GetDouble() * node.GetProperty("Actual Loops").GetDouble()
                + (node.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0);
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray()) rows += RowsRead(child, table);
        return rows;
    }
}
