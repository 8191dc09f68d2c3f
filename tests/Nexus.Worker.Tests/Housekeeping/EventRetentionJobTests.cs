using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class EventRetentionJobTests(WorkerDatabase<EventRetentionJobTests> db) : IClassFixture<WorkerDatabase<EventRetentionJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static EventRetentionPolicy Policy(string? days) =>
        new(EventRetention.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [EventRetention.DaysSetting] = days }).Build()));

    /// <summary>Events 1, 6.9, 7.1 and 40 days old, each delivered once, in both modes.</summary>
    private async Task<string> EventsAsync()
    {
        var org = Ids.New("org");
        await using var session = db.Store.LightweightSession();
        foreach (var age in new[] { 1, 6.9, 7.1, 40 })
        foreach (var mode in new[] { Mode.Test, Mode.Live })
        {
            var clock = new FakeTimeProvider(Now.AddDays(-age));
            var evt = EventOutbox.NewEvent(org, mode, "note.created", "{}", null, clock);
            session.Store(evt);
            var delivery = EventOutbox.Enqueue(session, evt, "we_1", DeliveryTriggers.Event, clock);
            (delivery.Status, delivery.NextAttemptAt) = (DeliveryStatus.Succeeded, null);
            session.Store(delivery);
        }
        await session.SaveChangesAsync();
        return org;
    }

    private async Task<double[]> AgesLeftAsync(string org)
    {
        await using var session = db.Store.QuerySession();
        var events = await session.Query<WebhookEvent>().Where(e => e.OrgId == org).ToListAsync();
        var delivered = await session.Query<WebhookDelivery>().Where(d => d.OrgId == org).CountAsync();
        Assert.Equal(events.Count, delivered);
        return events.Select(e => Math.Round((Now - e.CreatedAt).TotalDays, 1)).Order().ToArray();
    }

    private Task RunAsync(string? days) =>
        new EventRetentionJob(db.Store, db.DataSource, new FakeTimeProvider(Now), Policy(days), NullLogger<EventRetentionJob>.Instance)
            .Execute(null!, CancellationToken.None).AsTask();

    [Fact]
    public async Task With_a_retention_set_older_events_go_with_their_deliveries()
    {
        var org = await EventsAsync();

        await RunAsync("7");

        Assert.Equal(new[] { 1, 1, 6.9, 6.9 }, await AgesLeftAsync(org));
    }

    [Fact]
    public async Task Without_one_every_event_is_kept()
    {
        var org = await EventsAsync();

        await RunAsync(null);

        Assert.Equal(new[] { 1, 1, 6.9, 6.9, 7.1, 7.1, 40, 40 }, await AgesLeftAsync(org));
    }

    [Fact]
    public void A_worker_with_a_retention_nobody_meant_does_not_start()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Nexus"] = WorkerDatabase<EventRetentionJobTests>.ConnectionString;
        builder.Configuration["Nexus:SecretKey"] = DeliveryWorld<EventRetentionJobTests>.SecretKey;
        builder.Configuration[EventRetention.DaysSetting] = "30 days";

        var error = Assert.Throws<InvalidOperationException>(() => { builder.AddNexusWorker(); });
        Assert.Contains(EventRetention.DaysSetting, error.Message);
    }
}
