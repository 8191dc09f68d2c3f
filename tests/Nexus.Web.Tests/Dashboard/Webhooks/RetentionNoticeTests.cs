using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>The Webhooks page says how long events are kept when the deployment sets it, and a web app with a value nobody meant does not start.</summary>
public sealed class RetentionNoticeTests : IClassFixture<NexusApp<RetentionNoticeTests>>
{
    private readonly NexusApp<RetentionNoticeTests> _app;

    public RetentionNoticeTests(NexusApp<RetentionNoticeTests> app)
    {
        _app = app;
        app.Settings[EventRetention.DaysSetting] = "30";
    }

    private static async Task<string> WebhooksPageAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var client = DashboardClient.For(host);
        await client.SignUpNewAsync();
        return await client.Http.GetStringAsync("/webhooks");
    }

    [Fact]
    public async Task With_a_retention_the_page_says_how_long_events_are_kept()
    {
        var page = await WebhooksPageAsync(_app);

        Assert.Contains("Events and their deliveries are kept 30 days, then deleted", page);
    }

    [Fact]
    public async Task Without_one_it_says_nothing_of_deletion()
    {
        await using var keepsEverything = _app.SecondNode();

        var page = await WebhooksPageAsync(keepsEverything);

        Assert.Contains("Test-mode events only go to test-mode endpoints.", page);
        Assert.DoesNotContain("event-retention", page);
        Assert.DoesNotContain("then deleted", page);
    }

    [Fact]
    public async Task A_web_app_with_a_retention_nobody_meant_does_not_start()
    {
        await using var misconfigured = _app.SecondNode();
        misconfigured.Settings[EventRetention.DaysSetting] = "forever";

        var error = Assert.IsType<InvalidOperationException>(Record.Exception(() => misconfigured.Services));
        Assert.Contains(EventRetention.DaysSetting, error.Message);
        Assert.Contains("\"forever\"", error.Message);
    }
}
