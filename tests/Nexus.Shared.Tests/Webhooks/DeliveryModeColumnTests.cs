using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Common;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>
/// Deliveries keep their mode in a column, which tables from before it get without a rewrite: the
/// column is added empty at start-up, the worker fills it in batches, and until it has, lists and the
/// sandbox reset find the rows without it by their JSON.
/// </summary>
public sealed class DeliveryModeColumnTests(WebhookDatabase<DeliveryModeColumnTests> db) : IClassFixture<WebhookDatabase<DeliveryModeColumnTests>>
{
    private NpgsqlDataSource DataSource => db.Services.GetRequiredService<NpgsqlDataSource>();

    private DeliveryModeColumn NewColumn() => new(db.Store, DataSource);

    /// <summary>Org A: 12 live and 5 test deliveries; org B: 4 test. Returns the two orgs.</summary>
    private async Task<(string A, string B)> DeliveriesAsync()
    {
        var (a, b) = (Ids.New("org"), Ids.New("org"));
        await using var session = db.Store.LightweightSession();
        foreach (var (org, mode, count) in new[] { (a, Mode.Live, 12), (a, Mode.Test, 5), (b, Mode.Test, 4) })
            for (var i = 0; i < count; i++)
                session.Store(Delivery(org, mode));
        await session.SaveChangesAsync();
        return (a, b);
    }

    private static WebhookDelivery Delivery(string org, Mode mode) => new()
    {
        Id = Ids.New(WebhookDelivery.IdPrefix), OrgId = org, Mode = mode, EndpointId = "we_1", EventId = Ids.New(WebhookEvent.IdPrefix),
        EventType = "note.created", Status = DeliveryStatus.Succeeded, CreatedAt = DateTimeOffset.UtcNow,
    };

    private async Task<int[]> CountsAsync(DeliveryModeColumn column, string a, string b)
    {
        var counts = new List<int>();
        await using var session = db.Store.QuerySession();
        foreach (var (org, mode) in new[] { (a, Mode.Live), (a, Mode.Test), (b, Mode.Live), (b, Mode.Test) })
        {
            var query = await column.InModeAsync(session.Query<WebhookDelivery>(), org, mode, CancellationToken.None);
            var page = await query.OrderByDescending(d => d.Id).ToListAsync();
            Assert.All(page, d => Assert.Equal((org, mode), (d.OrgId, d.Mode)));
            counts.Add(page.Count);
        }
        return [.. counts];
    }

    private async Task<string> TableAsync() => (string)(await db.ScalarAsync("""
        select count(*) filter (where mode is null) || ' without, ' || count(*) filter (where mode is distinct from data ->> 'Mode') || ' unlike the JSON'
        from mt_doc_webhookdelivery
        """))!;

    private Task<object?> RowVersionsAsync() => db.ScalarAsync("select string_agg(id || ':' || xmin, ',' order by id) from mt_doc_webhookdelivery");

    [Fact]
    public async Task An_upgrade_adds_the_column_without_rewriting_a_row_and_batches_fill_it_while_lists_stay_whole()
    {
        await db.ScalarAsync("truncate mt_doc_webhookdelivery");
        var (a, b) = await DeliveriesAsync();
        // The table as it was before the column: its indexes go with it.
        await db.ScalarAsync("""
            alter table mt_doc_webhookdelivery drop column mode;
            create index mt_doc_webhookdelivery_idx_org_id_created_at on mt_doc_webhookdelivery (org_id, created_at);
            """);
        var before = await RowVersionsAsync();

        await using (var services = new ServiceCollection().AddNexusStore(WebhookDatabase<DeliveryModeColumnTests>.ConnectionString, db.Schema).BuildServiceProvider())
            await SchemaOnStartup.ApplyAsync(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);

        // Marten's own migration would have filled the column with one UPDATE: every row a new version.
        Assert.Equal(before, await RowVersionsAsync());
        Assert.Equal("21 without, 21 unlike the JSON", await TableAsync());
        Assert.Equal(1L, await db.ScalarAsync("select count(*) from pg_indexes where indexname = 'mt_doc_webhookdelivery_idx_org_id_mode_id' and schemaname = current_schema()"));

        // Written after the upgrade, by this version: with the column.
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(Delivery(a, Mode.Test));
            await session.SaveChangesAsync();
        }
        var column = NewColumn();
        Assert.False(await column.FilledAsync(CancellationToken.None));
        Assert.Equal(new[] { 12, 6, 0, 4 }, await CountsAsync(column, a, b));

        var filled = new List<int>();
        while (filled.LastOrDefault(-1) != 0) filled.Add(await column.FillBatchAsync(8, CancellationToken.None));
        Assert.Equal(new[] { 8, 8, 5, 0 }, filled);
        Assert.Equal("0 without, 0 unlike the JSON", await TableAsync());

        Assert.True(await column.FilledAsync(CancellationToken.None));
        Assert.Equal(new[] { 12, 6, 0, 4 }, await CountsAsync(column, a, b));
    }

    [Fact]
    public async Task A_batch_skips_a_row_a_claim_holds_and_a_later_one_fills_it()
    {
        await db.ScalarAsync("truncate mt_doc_webhookdelivery");
        await DeliveriesAsync();
        await db.ScalarAsync("update mt_doc_webhookdelivery set mode = null");
        var column = NewColumn();

        await using (var claim = await DataSource.OpenConnectionAsync())
        await using (var transaction = await claim.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand($"select 1 from {db.Schema}.mt_doc_webhookdelivery order by id limit 1 for update", claim, transaction))
                await hold.ExecuteNonQueryAsync();
            Assert.Equal(20, await column.FillBatchAsync(100, CancellationToken.None));
            Assert.Equal(0, await column.FillBatchAsync(100, CancellationToken.None));
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await column.FillBatchAsync(100, CancellationToken.None));
        Assert.Equal("0 without, 0 unlike the JSON", await TableAsync());
    }

    [Fact]
    public async Task Deleting_an_orgs_test_deliveries_takes_those_without_the_column_too_and_nothing_else()
    {
        await db.ScalarAsync("truncate mt_doc_webhookdelivery");
        var (a, b) = await DeliveriesAsync();
        // Half of every org's and mode's rows from before the column.
        await db.ScalarAsync("""
            update mt_doc_webhookdelivery set mode = null where id in (
                select id from (select id, row_number() over (partition by org_id, mode order by id) as n from mt_doc_webhookdelivery) r where n % 2 = 0)
            """);
        Assert.Equal("10 without, 10 unlike the JSON", await TableAsync());

        await using (var session = db.Store.LightweightSession())
        {
            DeliveryModeColumn.DeleteWhere(session, a, Mode.Test);
            await session.SaveChangesAsync();
        }

        await NewColumn().FillBatchAsync(100, CancellationToken.None);
        Assert.Equal(new[] { 12, 0, 0, 4 }, await CountsAsync(NewColumn(), a, b));
    }
}
