using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class DeliveryModeFillJobTests(WorkerDatabase<DeliveryModeFillJobTests> db) : IClassFixture<WorkerDatabase<DeliveryModeFillJobTests>>
{
    private async Task<string> ColumnAsync()
    {
        await using var cmd = db.DataSource.CreateCommand($"""
            select count(*) filter (where mode is null) || ' without, ' || count(*) filter (where mode = data ->> 'Mode') || ' as in the JSON'
            from {db.Schema}.mt_doc_webhookdelivery
            """);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_run_fills_the_mode_of_every_delivery_written_before_the_column_in_batches()
    {
        await using (var session = db.Store.LightweightSession())
        {
            for (var i = 0; i < DeliveryModeFillJob.BatchSize * 2 + 7; i++)
                session.Store(new WebhookDelivery { Id = Ids.New(WebhookDelivery.IdPrefix), OrgId = "org_" + i % 3, Mode = i % 4 == 0 ? Mode.Test : Mode.Live, EndpointId = "we_1", EventId = "evt_" + i });
            await session.SaveChangesAsync();
        }
        await using (var cmd = db.DataSource.CreateCommand($"update {db.Schema}.mt_doc_webhookdelivery set mode = null"))
            await cmd.ExecuteNonQueryAsync();
        Assert.Equal("2007 without, 0 as in the JSON", await ColumnAsync());
        var column = new DeliveryModeColumn(db.Store, db.DataSource);
        Assert.False(await column.FilledAsync(default));

        var job = new DeliveryModeFillJob(column, NullLogger<DeliveryModeFillJob>.Instance);
        await job.Execute(null!, default);

        Assert.Equal("0 without, 2007 as in the JSON", await ColumnAsync());
        Assert.True(await new DeliveryModeColumn(db.Store, db.DataSource).FilledAsync(default));
        // Once none is left, a run finds nothing to do.
        await job.Execute(null!, default);
        Assert.Equal("0 without, 2007 as in the JSON", await ColumnAsync());
    }
}
