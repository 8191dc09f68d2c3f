using Npgsql;
using Nexus.Shared.Tests.Support;

namespace Nexus.Web.Tests.Support;

/// <summary>The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE), one schema per test class (see <see cref="TestSchemas"/>).</summary>
public static class TestDatabase
{
    public static string ConnectionString => TestSchemas.ConnectionString;

    /// <summary>
    /// From the full class name (V1 and V2 both have a CreateTests); names past PostgreSQL's
    /// 63-byte limit keep a hash of the whole so they stay distinct.
    /// </summary>
    public static string SchemaFor(Type testClass)
    {
        var name = "t_" + (testClass.FullName ?? testClass.Name)
            .Replace("Nexus.Web.Tests.", "", StringComparison.Ordinal)
            .Replace('.', '_').Replace('+', '_').Replace('`', '_')
            .ToLowerInvariant();
        if (name.Length <= 63) return name;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        return name[..54] + "_" + hash;
    }

    /// <summary>Every row of every table in <paramref name="schema"/>, as PostgreSQL's text form of the whole row (to search for what must not be stored).</summary>
    public static async Task<List<(string Table, string Text)>> RowsAsync(string schema)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and table_type = 'BASE TABLE'", conn))
        {
            list.Parameters.AddWithValue("s", schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var rows = new List<(string, string)>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select t::text from \"{schema}\".\"{table}\" t", conn);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add((table, reader.GetString(0)));
        }
        return rows;
    }
}
