using Npgsql;

namespace Nexus.Web.Tests.Support;

/// <summary>The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE), one schema per test class.</summary>
public static class TestDatabase
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("NEXUS_TEST_DATABASE")
        ?? Environment.GetEnvironmentVariable("NEXUS_DATABASE")
        ?? "Host=127.0.0.1;Port=55432;Database=nexus;Username=nexus";

    public static string SchemaFor(Type testClass) =>
        ("t_" + testClass.Name.ToLowerInvariant()) is var s && s.Length > 60 ? s[..60] : s;

    /// <summary>Reset at the start, not at teardown: a failed run leaves its data to look at.</summary>
    public static void DropSchema(string schema)
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", conn);
        cmd.ExecuteNonQuery();
    }
}
