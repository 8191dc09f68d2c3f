using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Nexus.Shared.RateLimits;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class RateCounterCleanupJobTests(WorkerDatabase<RateCounterCleanupJobTests> db) : IClassFixture<WorkerDatabase<RateCounterCleanupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Windows_older_than_two_days_are_deleted_and_recent_ones_kept()
    {
        var counters = new RateCounters(db.Store, db.DataSource);
        var minute = new RateLimit("minute", "org:a:test:minute", 10, TimeSpan.FromMinutes(1));
        var day = new RateLimit("day", "org:a:test:day", 100, TimeSpan.FromDays(1));
        foreach (var at in new[] { Now.AddDays(-3), Now.AddDays(-2).AddMinutes(-1), Now.AddDays(-1), Now.AddMinutes(-5) })
            Assert.True((await counters.TakeAsync([minute, day], at, default)).Allowed);

        await new RateCounterCleanupJob(new RateCounterDatabase(db.Store, db.DataSource), new FakeTimeProvider(Now), NullLogger<RateCounterCleanupJob>.Instance).Execute(null!, default);

        await using var cmd = db.DataSource.CreateCommand($"select bucket, window_start from {db.Schema}.{RateCounters.TableName} order by window_start");
        var left = new List<(string, DateTime)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) left.Add((reader.GetString(0), reader.GetDateTime(1)));
        Assert.Equal(
        [
            ("org:a:test:day", Now.AddDays(-1).UtcDateTime.Date),
            ("org:a:test:minute", Now.AddDays(-1).UtcDateTime),
            ("org:a:test:day", Now.UtcDateTime.Date),
            ("org:a:test:minute", Now.AddMinutes(-5).UtcDateTime),
        ], left.OrderBy(l => l.Item2).ThenBy(l => l.Item1).ToList());
    }
}
