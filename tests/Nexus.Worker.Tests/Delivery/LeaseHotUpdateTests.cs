using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>
/// Taking a lease writes only the JSON, so PostgreSQL can update the row heap-only (HOT): no index entry is
/// written. A schema of its own, so no other test's updates are counted.
/// </summary>
public sealed class LeaseHotUpdateTests(DeliveryWorld<LeaseHotUpdateTests> world) : IClassFixture<DeliveryWorld<LeaseHotUpdateTests>>
{
    [Fact]
    public async Task Taking_a_lease_changes_no_indexed_column_so_it_is_a_heap_only_update()
    {
        var endpoint = await world.NewEndpointAsync("http://127.0.0.1:9/hot");
        var queued = await world.QueueManyAsync([endpoint], 3, TimeProvider.System);
        var queue = world.Resolve<DeliveryQueue>();
        var before = await UpdatesAsync();

        var claimed = await queue.ClaimAsync(10, 8, [], TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddSeconds(1), default);

        Assert.Equal(3, claimed.Count);
        // A backend reports its table statistics when its connection closes at the latest.
        world.DataSource.Clear();
        var (updates, hot) = await UpdatesAsync(before.Updates + 3);
        Assert.Equal((3L, 3L), (updates - before.Updates, hot - before.Hot));
        Assert.All(queued, q => Assert.Contains(claimed, c => c.Delivery.Id == q.Id));
    }

    /// <summary>The table's update counters, waiting (up to 5 s) until they reach <paramref name="atLeast"/>.</summary>
    private async Task<(long Updates, long Hot)> UpdatesAsync(long atLeast = 0)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            await using var cmd = world.DataSource.CreateCommand($"""
                select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where schemaname = '{world.Schema}' and relname = 'mt_doc_webhookdelivery'
                """);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            var counts = (reader.GetInt64(0), reader.GetInt64(1));
            if (counts.Item1 >= atLeast || DateTime.UtcNow > until) return counts;
            await Task.Delay(50);
        }
    }
}
