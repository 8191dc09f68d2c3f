using Npgsql;

namespace Nexus.Shared.Tests.Support;

/// <summary>
/// The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE or NEXUS_DATABASE), where each
/// test class has a schema of its own. A class's schema is dropped before the class starts (what an
/// earlier run left) and again after it ends. Leaving them all in place made every start-up of the
/// app slower as the run went on: the schema check each start-up runs reads PostgreSQL's catalog
/// (information_schema), and with the hundred-odd classes' schemas in it that check took about 0.9 s
/// instead of 0.1 s. Set NEXUS_TEST_KEEP_SCHEMAS=1 to keep each class's schema after it ends, to look
/// at what a failing test left.
/// </summary>
public static class TestSchemas
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("NEXUS_TEST_DATABASE")
        ?? Environment.GetEnvironmentVariable("NEXUS_DATABASE")
        ?? "Host=127.0.0.1;Port=55432;Database=nexus;Username=nexus";

    /// <summary>Whether schemas stay after their class ends (NEXUS_TEST_KEEP_SCHEMAS=1).</summary>
    public static bool Keep { get; } = Environment.GetEnvironmentVariable("NEXUS_TEST_KEEP_SCHEMAS") is "1" or "true";

    /// <summary>
    /// Drops <paramref name="schema"/> and everything in it, if it exists. A transaction still open
    /// in it (a process a test forgot to stop) makes this fail after 10 s rather than hang the run.
    /// </summary>
    public static async Task DropAsync(string schema)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"set lock_timeout = '10s'; drop schema if exists \"{schema}\" cascade", conn);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>For constructors, which cannot await.</summary>
    public static void Drop(string schema) => DropAsync(schema).GetAwaiter().GetResult();

    /// <summary>Drops the schema of a class whose tests have all run, unless schemas are kept.</summary>
    public static Task DropAfterClassAsync(string schema) => Keep ? Task.CompletedTask : DropAsync(schema);
}
