using System.Text.RegularExpressions;
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
            session.Store(
                new WorkerHeartbeat { Id = "box:4242", StartedAt = DateTimeOffset.UtcNow.AddHours(-1), LastSeenAt = DateTimeOffset.UtcNow, Version = "1.0.0+804895d250f8" },
                new WorkerHeartbeat { Id = "box:17", StartedAt = DateTimeOffset.UtcNow.AddHours(-3), LastSeenAt = DateTimeOffset.UtcNow.AddHours(-2), Version = "0.9.0" });
            await session.SaveChangesAsync();
        }

        var html = await client.Http.GetStringAsync("/settings");

        Assert.Contains("Initech", html);
        Assert.Matches("Requests per minute</p>\\s*<p[^>]*>10</p>", html);
        Assert.Matches("Requests per day</p>\\s*<p[^>]*>100</p>", html);
        Assert.Contains(email, html);
        Assert.Contains("Owner", html);
        // Every member of every org sees the workers: by tag and release, never by host, process id or commit.
        var rows = Regex.Matches(html, "<code class=\"text-xs text-gray-800\">([0-9a-f]{8})</code>\\s*<span[^>]*>(v[^<]+)</span>(?s:.*?)</span>(Online|Gone)</span>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value));
        Assert.Equal([(WorkerHeartbeat.TagOf("box:4242"), "v1.0.0", "Online"), (WorkerHeartbeat.TagOf("box:17"), "v0.9.0", "Gone")], rows);
        Assert.DoesNotContain("box:", html);
        Assert.DoesNotContain("804895d", html);
    }
}
