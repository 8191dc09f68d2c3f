using System.Text.Json;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
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

    [Fact]
    public async Task A_run_reads_the_expired_logs_not_the_kept_ones()
    {
        // Each org's cutoff is its own. A plan that compared `at` with it row by row read every log
        // in the table on every run; this one reads each org's expired logs off the (org_id, mode, at) index.
        var standard = await OrgAsync(retentionDays: RequestLogRetention.DefaultDays);
        var shortRetention = await OrgAsync(retentionDays: 7);
        await LogsAsync(standard, [.. Enumerable.Repeat(0.5, 1_000), 31, 32]);
        await LogsAsync(shortRetention, [.. Enumerable.Repeat(0.5, 1_000), 8]);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Priced out so that the plan does not depend on the table's statistics (a scan stays
        // possible: without an index to serve the condition, the planner still takes one).
        await using (var off = new NpgsqlCommand("set local enable_seqscan = off", connection, transaction))
            await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain (analyze, format json) " + RequestLogRetention.DeleteBatchSql(db.Store), connection, transaction);
        explain.Parameters.AddWithValue("now", Now);
        explain.Parameters.AddWithValue("batch", RequestLogRetentionJob.BatchSize);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        await transaction.RollbackAsync();

        // What the plan's nodes on the log table returned or filtered out: the 3 expired rows, found
        // and then deleted by id, where a plan that reads the table reads all 2,003 and more. Not
        // exact: EXPLAIN gives a node's rows per loop as a rounded average.
        Assert.InRange(Nexus.Shared.Tests.Support.QueryPlans.RowsRead(plan.RootElement[0].GetProperty("Plan"), "mt_doc_requestlog"), 3, 20);
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
