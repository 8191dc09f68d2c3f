using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Webhooks.Support;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>
/// Every delivery's row is updated twice per attempt (the worker's claim and result), so the deliveries table
/// carries only the indexes its readers need, and leaves room on each page for the claim's heap-only update.
/// An index added here costs every delivery; the readers are listed in NexusStore.
/// </summary>
public sealed class DeliveryTableTests(WebhookDatabase<DeliveryTableTests> db) : IClassFixture<WebhookDatabase<DeliveryTableTests>>
{
    private const string Expected =
        "btree (endpoint_id) | btree (event_id) | btree (id) | btree (id) WHERE (mode IS NULL) | btree (next_attempt_at) WHERE (next_attempt_at IS NOT NULL)" +
        " | btree (org_id, mode, id) | btree (status) WHERE ((status)::text = 'Failed'::text)";

    [Fact]
    public async Task The_deliveries_table_has_exactly_the_indexes_its_readers_use_and_room_for_heap_only_updates()
    {
        Assert.Equal(Expected, await IndexesAsync());
        Assert.Equal("fillfactor=65", await db.ScalarAsync("select array_to_string(reloptions, ',') from pg_class where oid = 'mt_doc_webhookdelivery'::regclass"));
    }

    [Fact]
    public async Task A_table_made_by_the_earlier_schema_comes_up_with_the_same_indexes_and_fill_factor()
    {
        // As the schema was before: no mode column, an index on org_id and one on created_at, no fill factor.
        await db.ScalarAsync("""
            alter table mt_doc_webhookdelivery drop column mode;
            create index mt_doc_webhookdelivery_idx_org_id on mt_doc_webhookdelivery (org_id);
            create index mt_doc_webhookdelivery_idx_created_at on mt_doc_webhookdelivery (created_at);
            alter table mt_doc_webhookdelivery reset (fillfactor);
            """);
        Assert.NotEqual(Expected, await IndexesAsync());

        await using (var services = new ServiceCollection().AddNexusStore(WebhookDatabase<DeliveryTableTests>.ConnectionString, db.Schema).BuildServiceProvider())
            await SchemaOnStartup.ApplyAsync(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<Npgsql.NpgsqlDataSource>(), CancellationToken.None);

        Assert.Equal(Expected, await IndexesAsync());
        Assert.Equal("fillfactor=65", await db.ScalarAsync("select array_to_string(reloptions, ',') from pg_class where oid = 'mt_doc_webhookdelivery'::regclass"));
    }

    private async Task<string> IndexesAsync() => (string)(await db.ScalarAsync($"""
        select string_agg(def, ' | ' order by def) from (
            select regexp_replace(indexdef, '^.* USING ', '') as def
            from pg_indexes where schemaname = '{db.Schema}' and tablename = 'mt_doc_webhookdelivery') d
        """))!;
}
