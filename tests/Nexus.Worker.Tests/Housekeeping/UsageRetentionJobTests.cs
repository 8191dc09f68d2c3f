using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Common;
using Nexus.Shared.Usage;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class UsageRetentionJobTests(WorkerDatabase<UsageRetentionJobTests> db) : IClassFixture<WorkerDatabase<UsageRetentionJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_of_hours_past_the_retention_are_deleted_and_the_rest_kept()
    {
        var org = Ids.New("org");
        var days = UsageRetention.KeepFor.TotalDays;
        // Hours that began 1 day ago, just inside and just past the retention, and long past it, in both modes.
        var ages = new[] { 1, days - 0.5, days + 0.5, days * 4 };
        await db.Store.BulkInsertDocumentsAsync(ages.SelectMany(age => new[] { Mode.Test, Mode.Live }.Select(mode => new UsageRecord
        {
            Id = Ids.New("usg"), OrgId = org, Mode = mode, KeyId = "key_1", Hour = Now.AddDays(-age), Method = "GET", Route = "/api/v1/notes", Requests = 1,
        })).ToList());

        var job = new UsageRetentionJob(db.Store, db.DataSource, new FakeTimeProvider(Now), NullLogger<UsageRetentionJob>.Instance);
        await job.Execute(null!, CancellationToken.None);

        await using var session = db.Store.QuerySession();
        var kept = (await session.Query<UsageRecord>().Where(r => r.OrgId == org).ToListAsync())
            .Select(r => (Now - r.Hour).TotalDays).Order().ToArray();
        Assert.Equal([1, 1, days - 0.5, days - 0.5], kept);
    }
}
