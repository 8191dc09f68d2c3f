using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Worker.Tests.Support;
using Nexus.Worker.Usage;
using Weasel.Core;

namespace Nexus.Worker.Tests.Usage;

public sealed class UsageRollupJobTests(WorkerDatabase<UsageRollupJobTests> db) : IClassFixture<WorkerDatabase<UsageRollupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Batches_of_logs_become_one_record_per_key_hour_and_endpoint()
    {
        var org = Ids.New("org");
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-5), "GET", "/api/v1/notes", [200, 200, 404], latencyMs: 10)
            .Concat(Logs(org, "key_b", Now.AddMinutes(-5), "POST", "/api/v1/notes", [201], latencyMs: 5)));
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-4), "GET", "/api/v1/notes", [500, 429], latencyMs: 10)
            .Concat(Logs(org, "key_a", Now.AddMinutes(-50), "GET", "/api/v1/notes", [200, 201], latencyMs: 30)));

        await FoldAsync();

        var records = await RecordsAsync(org);
        Assert.Equal(3, records.Count);
        var current = records.Single(r => r.KeyId == "key_a" && r.Hour == UsageRecord.HourOf(Now));
        Assert.Equal((5L, 2L, 2L, 1L, 1L), (current.Requests, current.Successes, current.ClientErrors, current.ServerErrors, current.RateLimited));
        Assert.Equal(50, current.LatencySumMs);
        Assert.Equal(5, current.Latency.Sum());
        Assert.InRange(LatencyHistogram.Quantile(current.Latency, 0.95)!.Value, 10, 10 * 1.13); // the upper bound of 10 ms's bucket
        var previous = records.Single(r => r.KeyId == "key_a" && r.Hour == UsageRecord.HourOf(Now).AddHours(-1));
        Assert.Equal((2L, 2L), (previous.Requests, previous.Successes));
        Assert.Equal(("POST", "/api/v1/notes", 1L), records.Where(r => r.KeyId == "key_b").Select(r => (r.Method, r.Route, r.Requests)).Single());
        Assert.Equal(0, await IncrementsLeftAsync(org));
    }

    [Fact]
    public async Task Folding_again_adds_nothing_and_a_later_batch_adds_to_the_record()
    {
        var org = Ids.New("org");
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [200, 200], latencyMs: 2));

        await FoldAsync();
        await FoldAsync();
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [500], latencyMs: 4));
        await FoldAsync();

        var record = Assert.Single(await RecordsAsync(org));
        Assert.Equal((3L, 2L, 1L, 8.0), (record.Requests, record.Successes, record.ServerErrors, record.LatencySumMs));
        Assert.Equal(3, record.Latency.Sum());
    }

    [Fact]
    public async Task A_fold_holds_up_folds_of_its_own_schema_only()
    {
        var org = Ids.New("org");
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [200], latencyMs: 2));

        // Another deployment sharing the database folds its own schema meanwhile: this one is not skipped.
        await using (var other = await HoldFoldLockAsync("nexus_other"))
            Assert.True(await FoldAsync() >= 1);
        Assert.Equal(1, Assert.Single(await RecordsAsync(org)).Requests);

        // A fold of this schema under way: this one stops and leaves the increment to the next run.
        await BatchAsync(Logs(org, "key_a", Now.AddMinutes(-1), "GET", "/api/v1/notes", [200], latencyMs: 2));
        await using (var same = await HoldFoldLockAsync(db.Schema))
            Assert.Equal(0, await FoldAsync());
        Assert.Equal(1, await IncrementsLeftAsync(org));
        await FoldAsync();
        Assert.Equal(2, Assert.Single(await RecordsAsync(org)).Requests);
    }

    /// <summary>An open transaction holding the fold lock of <paramref name="schema"/>, as a fold under way does; disposing it lets go.</summary>
    private static async Task<HeldLock> HoldFoldLockAsync(string schema)
    {
        var connection = new Npgsql.NpgsqlConnection(WorkerDatabase<UsageRollupJobTests>.ConnectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using var take = new Npgsql.NpgsqlCommand($"select pg_advisory_xact_lock({UsageIncrement.FoldLockSql.Replace("?", "@schema")})", connection, tx);
        take.Parameters.AddWithValue("schema", schema);
        await take.ExecuteScalarAsync();
        return new HeldLock(connection, tx);
    }

    private sealed class HeldLock(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Folds_running_at_once_count_every_request_once()
    {
        var org = Ids.New("org");
        var batches = 2 * UsageRollupJob.BatchSize + 10;
        var logs = Enumerable.Range(0, batches).SelectMany(_ => Logs(org, "key_a", Now, "GET", "/api/v1/notes", [200], latencyMs: 1)).ToList();
        await db.Store.BulkInsertDocumentsAsync(logs.Concat<object>(logs.Select(l => UsageIncrement.Of([l]).Single())));

        // Two workers at the same moment; whatever one skipped while the other held the lock, a
        // later run folds.
        await Task.WhenAll(FoldAsync(), FoldAsync());
        await FoldAsync();

        var record = Assert.Single(await RecordsAsync(org));
        Assert.Equal(batches, record.Requests);
        Assert.Equal(0, await IncrementsLeftAsync(org));
    }

    /// <summary>
    /// Whichever of the two tables Marten writes first, a failure in the other undoes it: one case
    /// of the two has the failure in the table written second.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_batch_is_logged_and_counted_in_usage_together_or_not_at_all(bool clashOnLog)
    {
        var org = Ids.New("org");
        var earlier = Logs(org, "key_a", Now, "GET", "/api/v1/notes", [200], latencyMs: 1);
        var earlierIncrement = UsageIncrement.Of(earlier).Single();
        await db.Store.BulkInsertDocumentsAsync(earlier.Concat<object>([earlierIncrement]));
        var logs = Logs(org, "key_a", Now, "GET", "/api/v1/notes", [200, 404], latencyMs: 1);
        var increment = UsageIncrement.Of(logs).Single();
        if (clashOnLog) logs[1].Id = earlier[0].Id;
        else increment.Id = earlierIncrement.Id;

        // As the log writer writes a batch, with one row that cannot be inserted.
        await Assert.ThrowsAnyAsync<Exception>(() => db.Store.BulkInsertDocumentsAsync(logs.Concat<object>([increment]), BulkInsertMode.InsertsOnly));

        await using var session = db.Store.QuerySession();
        Assert.Equal(1, await session.Query<RequestLog>().CountAsync(l => l.OrgId == org));
        Assert.Equal(1, await session.Query<UsageIncrement>().CountAsync(i => i.Counts.OrgId == org));
    }

    private Task<int> FoldAsync() => new UsageRollupJob(db.Store, NullLogger<UsageRollupJob>.Instance).FoldAsync(CancellationToken.None);

    /// <summary>What the log writer does with a batch: the logs and their usage increments, in one bulk insert.</summary>
    private Task BatchAsync(IEnumerable<RequestLog> batch)
    {
        var logs = batch.ToList();
        return db.Store.BulkInsertDocumentsAsync(logs.Concat<object>(UsageIncrement.Of(logs)));
    }

    private static List<RequestLog> Logs(string orgId, string keyId, DateTimeOffset at, string method, string route, int[] statuses, double latencyMs) =>
        statuses.Select(status => new RequestLog
        {
            Id = Ids.New("req"), OrgId = orgId, Mode = Mode.Test, KeyId = keyId, KeyPrefix = "nx_test_abcdef", At = at,
            Method = method, Route = route, Path = route, Status = status, LatencyMs = latencyMs,
        }).ToList();

    private async Task<IReadOnlyList<UsageRecord>> RecordsAsync(string orgId)
    {
        await using var session = db.Store.QuerySession();
        return await session.Query<UsageRecord>().Where(r => r.OrgId == orgId).ToListAsync();
    }

    private async Task<int> IncrementsLeftAsync(string orgId)
    {
        await using var session = db.Store.QuerySession();
        return await session.Query<UsageIncrement>().CountAsync(i => i.Counts.OrgId == orgId);
    }
}
