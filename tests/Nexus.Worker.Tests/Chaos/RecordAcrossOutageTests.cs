using Microsoft.Extensions.Logging;
using Npgsql;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// RELIABILITY.md allows a duplicate only across a crash between "sent" and "recorded". An attempt that
/// finishes while the database is briefly out of reach (a restart, a failover) is not such a crash: the
/// recorder keeps its result and writes it once the database is back, as long as the lease still holds,
/// so the delivery is not sent again. An outage that outlasts the lease is given up as before.
/// </summary>
public sealed class RecordAcrossOutageTests(ThrowawayCluster cluster) : IClassFixture<ThrowawayCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_result_finished_while_the_database_is_down_is_recorded_once_it_is_back_within_the_lease()
    {
        await using var tenant = await ChaosTenant.CreateAsync(cluster.ConnectionString, "chaos_record_back", "http://127.0.0.1:9/unused");
        var queue = new DeliveryQueue(tenant.Store, tenant.DataSource);
        var claimed = await ClaimOneAsync(tenant, queue, lease: TimeSpan.FromMinutes(5));
        var firstTryFailed = new FirstWarning();
        await using var recorder = new DeliveryRecorder(queue, TimeProvider.System, firstTryFailed);

        await cluster.StopAsync();
        var recording = recorder.RecordAsync(Succeeded(claimed));
        await firstTryFailed.Logged.WaitAsync(Bound); // it did try while the database was down
        Assert.False(recording.IsCompleted);
        await cluster.StartAsync();

        Assert.True(await recording.WaitAsync(Bound));
        tenant.DataSource.Clear();
        Assert.Equal(0, await tenant.CountDeliveriesAsync("status <> 'Succeeded' or next_attempt_at is not null or data->>'LeaseToken' is not null"));
        Assert.Empty(await queue.ClaimAsync(10, 8, [], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10), default));
    }

    [Fact]
    public async Task An_outage_that_outlasts_the_lease_is_given_up_before_the_lease_ends_and_the_delivery_falls_due_again()
    {
        await using var tenant = await ChaosTenant.CreateAsync(cluster.ConnectionString, "chaos_record_gone", "http://127.0.0.1:9/unused");
        var queue = new DeliveryQueue(tenant.Store, tenant.DataSource);
        var lease = TimeSpan.FromSeconds(2);
        var claimed = await ClaimOneAsync(tenant, queue, lease);
        await using var recorder = new DeliveryRecorder(queue, TimeProvider.System, new FirstWarning());

        await cluster.StopAsync();
        try
        {
            var recording = recorder.RecordAsync(Succeeded(claimed));
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => recording.WaitAsync(Bound));
            Assert.True(error.IsTransient);
        }
        finally
        {
            await cluster.StartAsync();
        }

        tenant.DataSource.Clear();
        var again = Assert.Single(await queue.ClaimAsync(10, 8, [], lease, claimed.LeaseEnds + TimeSpan.FromSeconds(1), default));
        Assert.Equal(claimed.Delivery.Id, again.Delivery.Id);
        Assert.Equal(DeliveryStatus.Pending, again.Delivery.Status); // nothing of the given-up result was written
    }

    private static async Task<ClaimedDelivery> ClaimOneAsync(ChaosTenant tenant, DeliveryQueue queue, TimeSpan lease)
    {
        await tenant.PublishAsync(EventCatalog.TestPing, """{"outage":true}""");
        return Assert.Single(await queue.ClaimAsync(10, 8, [], lease, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), default));
    }

    /// <summary>The result a successful attempt leaves on the delivery.</summary>
    private static ClaimedDelivery Succeeded(ClaimedDelivery claimed)
    {
        claimed.Delivery.Status = DeliveryStatus.Succeeded;
        claimed.Delivery.NextAttemptAt = null;
        return claimed;
    }

    /// <summary>A logger that completes <see cref="Logged"/> on the first warning (the recorder's "could not record").</summary>
    private sealed class FirstWarning : ILogger<DeliveryRecorder>
    {
        private readonly TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Logged => _logged.Task;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) _logged.TrySetResult();
        }
    }

    [Theory]
    [InlineData("57P01", true)]  // admin_shutdown: what a session in flight gets when the server stops
    [InlineData("57P02", true)]  // crash_shutdown
    [InlineData("57P03", true)]  // cannot_connect_now: still starting up
    [InlineData("08006", true)]  // connection_failure (Npgsql counts it transient)
    [InlineData("23505", false)] // unique_violation: the database answered, and trying again changes nothing
    [InlineData("42P01", false)] // undefined_table
    public void The_server_shutting_down_or_starting_up_counts_as_an_outage_and_a_refused_statement_does_not(string sqlState, bool outage) =>
        Assert.Equal(outage, DeliveryRecorder.IsOutage(new PostgresException("test", "FATAL", "FATAL", sqlState)));
}
