using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Webhooks.Support;

namespace Nexus.Shared.Tests.Store;

/// <summary>
/// Several indexes are written as masks and predicates that Weasel compares with what PostgreSQL
/// prints back (ListIndex, the custom event types' index). If the two ever stop matching, every
/// start-up would drop and rebuild those indexes: minutes of blocked writes on a large table.
/// </summary>
public sealed class SchemaStartupTests(WebhookDatabase<SchemaStartupTests> db) : IClassFixture<WebhookDatabase<SchemaStartupTests>>
{
    [Fact]
    public async Task A_start_up_after_the_schema_is_made_finds_nothing_to_change()
    {
        await using var services = new ServiceCollection().AddNexusStore(WebhookDatabase<SchemaStartupTests>.ConnectionString, db.Schema).BuildServiceProvider();
        var migration = await services.GetRequiredService<IDocumentStore>().Storage.Database.CreateMigrationAsync();

        var changed = migration.Deltas.Where(d => d.Difference != Weasel.Core.SchemaPatchDifference.None)
            .Select(d => $"{d.SchemaObject.Identifier}: {d.Difference}");
        Assert.Empty(changed);
    }
}
