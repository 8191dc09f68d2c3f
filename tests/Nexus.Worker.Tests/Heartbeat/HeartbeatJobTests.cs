using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Workers;
using Nexus.Worker.Heartbeat;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Heartbeat;

public sealed class HeartbeatJobTests(WorkerDatabase<HeartbeatJobTests> db) : IClassFixture<WorkerDatabase<HeartbeatJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_beat_records_this_worker_and_forgets_workers_gone_for_more_than_a_day()
    {
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(
                Beat("gone-2d", Now.AddDays(-2)),
                Beat("gone-1d-1s", Now - WorkerHeartbeat.ForgetAfter - TimeSpan.FromSeconds(1)),
                Beat("gone-1d", Now - WorkerHeartbeat.ForgetAfter),
                Beat("gone-1h", Now.AddHours(-1)),
                Beat("alive", Now.AddSeconds(-2)));
            await session.SaveChangesAsync();
        }
        var clock = new FakeTimeProvider(Now);
        var me = new WorkerIdentity(clock);

        await new HeartbeatJob(db.Store, me, clock, NullLogger<HeartbeatJob>.Instance).Execute(null!, CancellationToken.None);

        await using var query = db.Store.QuerySession();
        var left = await query.Query<WorkerHeartbeat>().ToListAsync();
        Assert.Equal(new[] { "alive", "gone-1d", "gone-1h", me.Id }.Order(StringComparer.Ordinal), left.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Now, left.Single(h => h.Id == me.Id).LastSeenAt);
    }

    /// <summary>The dashboard shows a tag, not the host:pid; the worker's log is where an operator matches them up, once.</summary>
    [Fact]
    public async Task The_first_recorded_beat_logs_which_dashboard_tag_is_this_process_and_later_beats_do_not()
    {
        var clock = new FakeTimeProvider(Now);
        var me = new WorkerIdentity(clock);
        var log = new FakeLogger<HeartbeatJob>();
        var job = new HeartbeatJob(db.Store, me, clock, log);

        await job.Execute(null!, CancellationToken.None);
        clock.Advance(WorkerHeartbeat.Interval);
        await job.Execute(null!, CancellationToken.None);

        var record = Assert.Single(log.Collector.GetSnapshot());
        var tag = WorkerHeartbeat.TagOf(me.Id);
        Assert.Matches("^[0-9a-f]{8}$", tag);
        Assert.Equal($"Worker {me.Id} (version {me.Version}) reports as {tag} on the dashboard", record.Message);
        Assert.NotEqual(tag, WorkerHeartbeat.TagOf(me.Id + "0"));
    }

    private static WorkerHeartbeat Beat(string id, DateTimeOffset seen) =>
        new() { Id = id, StartedAt = seen.AddHours(-1), LastSeenAt = seen, Version = "1.0.0" };
}
