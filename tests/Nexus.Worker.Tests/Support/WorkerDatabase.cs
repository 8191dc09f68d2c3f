using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Store;

namespace Nexus.Worker.Tests.Support;

/// <summary>
/// The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE), with the worker's store
/// wired as the worker wires it, in a schema of its own per test class (reset at the start).
/// </summary>
public class WorkerDatabase<TTest> : IAsyncDisposable
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("NEXUS_TEST_DATABASE")
        ?? Environment.GetEnvironmentVariable("NEXUS_DATABASE")
        ?? "Host=127.0.0.1;Port=55432;Database=nexus;Username=nexus";

    public string Schema { get; } = "tw_" + typeof(TTest).Name.ToLowerInvariant();
    public ServiceProvider Services { get; }
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();
    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public WorkerDatabase()
    {
        using (var conn = new NpgsqlConnection(ConnectionString))
        {
            conn.Open();
            using var drop = new NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", conn);
            drop.ExecuteNonQuery();
        }
        Services = new ServiceCollection().AddNexusStore(ConnectionString, Schema).BuildServiceProvider();
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
