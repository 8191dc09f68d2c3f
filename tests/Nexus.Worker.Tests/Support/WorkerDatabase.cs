using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Support;

namespace Nexus.Worker.Tests.Support;

/// <summary>
/// The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE), with the worker's store
/// wired as the worker wires it, in a schema of its own per test class (see <see cref="TestSchemas"/>).
/// </summary>
public class WorkerDatabase<TTest> : IAsyncLifetime
{
    public static string ConnectionString => TestSchemas.ConnectionString;

    public string Schema { get; } = "tw_" + typeof(TTest).Name.ToLowerInvariant();
    public ServiceProvider Services { get; }
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();
    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public WorkerDatabase()
    {
        TestSchemas.Drop(Schema);
        Services = new ServiceCollection().AddNexusStore(ConnectionString, Schema).BuildServiceProvider();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit disposes a class fixture through IAsyncLifetime (it does not call IAsyncDisposable).</summary>
    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await TestSchemas.DropAfterClassAsync(Schema);
    }
}
