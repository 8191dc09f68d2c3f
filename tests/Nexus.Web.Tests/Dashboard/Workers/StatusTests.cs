using System.Net;
using Marten;
using Nexus.Shared.Workers;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Workers;

public sealed class StatusTests(NexusApp<StatusTests> app) : IClassFixture<NexusApp<StatusTests>>
{
    [Fact]
    public async Task The_pill_says_online_while_a_worker_beats_and_offline_after()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var beat = new WorkerHeartbeat { Id = "host:1", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5), LastSeenAt = DateTimeOffset.UtcNow, Version = "1.0.0" };
        await StoreAsync(beat);

        var online = await client.Http.GetAsync("/workers/status");

        Assert.Equal(HttpStatusCode.OK, online.StatusCode);
        Assert.Contains("Worker online", await online.Content.ReadAsStringAsync());

        beat.LastSeenAt = DateTimeOffset.UtcNow - WorkerHeartbeat.Interval * 4;
        await StoreAsync(beat);
        Assert.Contains("Worker offline", await client.Http.GetStringAsync("/workers/status"));
    }

    private async Task StoreAsync(WorkerHeartbeat beat)
    {
        await using var session = app.Store.LightweightSession();
        session.Store(beat);
        await session.SaveChangesAsync();
    }
}
