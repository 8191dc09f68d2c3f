using System.Security.Cryptography;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks.Support;

/// <summary>
/// The real PostgreSQL that `make test` starts (NEXUS_TEST_DATABASE or NEXUS_DATABASE), with the
/// Nexus store in a schema of its own per test class (see <see cref="TestSchemas"/>).
/// Also the webhook services a test needs: a secret box with a fresh key, and an SSRF guard.
/// </summary>
public sealed class WebhookDatabase<TTest> : IAsyncLifetime
{
    public static string ConnectionString => TestSchemas.ConnectionString;

    public string Schema { get; } = "ts_" + typeof(TTest).Name.ToLowerInvariant();
    public ServiceProvider Services { get; private set; } = null!;
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();
    public SecretBox Secrets { get; } = new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    public SsrfGuard Guard { get; } = SsrfGuard.FromSettings("127.0.0.0/8", allowHttp: true);

    public async Task InitializeAsync()
    {
        await TestSchemas.DropAsync(Schema);
        Services = new ServiceCollection().AddNexusStore(ConnectionString, Schema).BuildServiceProvider();
        // Created once up front, so tests that start with many concurrent sessions do not race to create tables.
        await Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await TestSchemas.DropAfterClassAsync(Schema);
    }

    /// <summary>Runs SQL in this class's schema and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"set search_path to \"{Schema}\"; {sql}", conn);
        return await cmd.ExecuteScalarAsync();
    }
}
