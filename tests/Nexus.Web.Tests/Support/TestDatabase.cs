using Npgsql;

namespace Nexus.Web.Tests.Support;

/// <summary>The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE), one schema per test class.</summary>
public static class TestDatabase
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("NEXUS_TEST_DATABASE")
        ?? Environment.GetEnvironmentVariable("NEXUS_DATABASE")
        ?? "Host=127.0.0.1;Port=55432;Database=nexus;Username=nexus";

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

    /// <summary>Reset at the start, not at teardown: a failed run leaves its data to look at.</summary>
    public static void DropSchema(string schema)
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", conn);
        cmd.ExecuteNonQuery();
    }
}
