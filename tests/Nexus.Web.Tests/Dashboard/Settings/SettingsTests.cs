using Marten;
using Nexus.Shared.Workers;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class SettingsTests(NexusApp<SettingsTests> app) : IClassFixture<NexusApp<SettingsTests>>
{
    [Fact]
    public async Task Settings_show_the_org_its_free_plan_limits_members_and_workers()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Initech");
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(new WorkerHeartbeat { Id = "box:4242", StartedAt = DateTimeOffset.UtcNow.AddHours(-1), LastSeenAt = DateTimeOffset.UtcNow, Version = "1.0.0" });
            await session.SaveChangesAsync();
        }

        var html = await client.Http.GetStringAsync("/settings");

        Assert.Contains("Initech", html);
        Assert.Matches("Requests per minute</p>\\s*<p[^>]*>10</p>", html);
        Assert.Matches("Requests per day</p>\\s*<p[^>]*>100</p>", html);
        Assert.Contains(email, html);
        Assert.Contains("Owner", html);
        Assert.Contains("box:4242", html);
    }
}
