using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class RequestLogRetentionJobTests(WorkerDatabase<RequestLogRetentionJobTests> db)
    : IClassFixture<WorkerDatabase<RequestLogRetentionJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Logs_past_each_orgs_retention_are_deleted_and_younger_ones_kept()
    {
        var standard = await OrgAsync(retentionDays: RequestLogRetention.DefaultDays);
        var shortRetention = await OrgAsync(retentionDays: 7);
        await LogsAsync(standard, ageDays: [1, 8, 29.9, 30.1, 90]);
        await LogsAsync(shortRetention, ageDays: [1, 6.9, 7.1, 8, 29]);

        await RunJobAsync();

        var (kept, keptShort) = (await AgesAsync(standard), await AgesAsync(shortRetention));
        Assert.Equal([1, 8, 29.9], kept);
        Assert.Equal([1, 6.9], keptShort);
    }

    [Fact]
    public async Task A_backlog_larger_than_a_batch_is_deleted_in_one_run()
    {
        var org = await OrgAsync(retentionDays: 1);
        var count = RequestLogRetentionJob.BatchSize * 2 + 3;
        await LogsAsync(org, Enumerable.Repeat(2.0, count).Append(0.5).ToArray());

        await RunJobAsync();

        var kept = await AgesAsync(org);
        Assert.Equal([0.5], kept);
    }

    private async Task RunJobAsync()
    {
        var job = new RequestLogRetentionJob(db.Store, db.DataSource, new FakeTimeProvider(Now), NullLogger<RequestLogRetentionJob>.Instance);
        await job.Execute(null!, CancellationToken.None);
    }

    private async Task<Organization> OrgAsync(int retentionDays)
    {
        var org = new Organization { Id = Ids.New("org"), Name = "Acme", CreatedAt = Now.AddYears(-1), RequestLogRetentionDays = retentionDays };
        await using var session = db.Store.LightweightSession();
        session.Store(org);
        await session.SaveChangesAsync();
        return org;
    }

    private async Task LogsAsync(Organization org, double[] ageDays)
    {
        var logs = ageDays.Select(age => new RequestLog
        {
            Id = Ids.New("req"), OrgId = org.Id, At = Now.AddDays(-age), Method = "GET", Path = "/api/v1/notes", Status = 200,
        }).ToList();
        await db.Store.BulkInsertDocumentsAsync(logs);
    }

    private async Task<double[]> AgesAsync(Organization org)
    {
        await using var session = db.Store.QuerySession();
        var logs = await session.Query<RequestLog>().Where(l => l.OrgId == org.Id).ToListAsync();
        return logs.Select(l => Math.Round((Now - l.At).TotalDays, 1)).Distinct().Order().ToArray();
    }
}
