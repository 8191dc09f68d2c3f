using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Worker.Tests.Support;
using Nexus.Worker.Usage;

namespace Nexus.Worker.Tests.Usage;

public sealed class UsageRollupJobTests(WorkerDatabase<UsageRollupJobTests> db) : IClassFixture<WorkerDatabase<UsageRollupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Logs_of_the_current_and_previous_hour_become_one_record_per_key_hour_and_endpoint()
    {
        var org = Ids.New("org");
        await LogsAsync(org, "key_a", Now.AddMinutes(-5), "GET", "/api/v1/notes", [200, 200, 404, 500, 429], latencyMs: 10);
        await LogsAsync(org, "key_a", Now.AddMinutes(-50), "GET", "/api/v1/notes", [200, 201], latencyMs: 30);
        await LogsAsync(org, "key_b", Now.AddMinutes(-5), "POST", "/api/v1/notes", [201], latencyMs: 5);
        await LogsAsync(org, "key_a", Now.AddHours(-3), "GET", "/api/v1/notes", [200], latencyMs: 1); // too old for this run

        await RunJobAsync();

        var records = await RecordsAsync(org);
        Assert.Equal(3, records.Count);
        var current = records.Single(r => r.KeyId == "key_a" && r.Hour == UsageRecord.HourOf(Now));
        Assert.Equal((5L, 2L, 2L, 1L, 1L), (current.Requests, current.Successes, current.ClientErrors, current.ServerErrors, current.RateLimited));
        Assert.Equal(50, current.LatencySumMs);
        Assert.InRange(LatencyHistogram.Quantile(current.Latency, 0.95)!.Value, 10, 10 * 1.13); // the upper bound of 10 ms's bucket
        var previous = records.Single(r => r.KeyId == "key_a" && r.Hour == UsageRecord.HourOf(Now).AddHours(-1));
        Assert.Equal((2L, 2L), (previous.Requests, previous.Successes));
        Assert.Equal(("POST", "/api/v1/notes", 1L), records.Where(r => r.KeyId == "key_b").Select(r => (r.Method, r.Route, r.Requests)).Single());
    }

    [Fact]
    public async Task Running_again_recomputes_rather_than_adding_up()
    {
        var org = Ids.New("org");
        await LogsAsync(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [200, 200], latencyMs: 2);

        await RunJobAsync();
        await RunJobAsync();
        await LogsAsync(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [500], latencyMs: 2);
        await RunJobAsync();

        var record = Assert.Single(await RecordsAsync(org));
        Assert.Equal((3L, 2L, 1L), (record.Requests, record.Successes, record.ServerErrors));
    }

    private async Task RunJobAsync()
    {
        var job = new UsageRollupJob(db.Store, new FakeTimeProvider(Now), NullLogger<UsageRollupJob>.Instance);
        await job.Execute(null!, CancellationToken.None);
    }

    private async Task LogsAsync(string orgId, string keyId, DateTimeOffset at, string method, string route, int[] statuses, double latencyMs)
    {
        var logs = statuses.Select(status => new RequestLog
        {
            Id = Ids.New("req"), OrgId = orgId, Mode = Mode.Test, KeyId = keyId, KeyPrefix = "nx_test_abcdef", At = at,
            Method = method, Route = route, Path = route, Status = status, LatencyMs = latencyMs,
        }).ToList();
        await db.Store.BulkInsertDocumentsAsync(logs);
    }

    private async Task<IReadOnlyList<UsageRecord>> RecordsAsync(string orgId)
    {
        await using var session = db.Store.QuerySession();
        return await session.Query<UsageRecord>().Where(r => r.OrgId == orgId).ToListAsync();
    }
}
