using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Api.Usage;
using Nexus.Web.Tests.Dashboard.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Logs;

/// <summary>A request log's detail links the webhook events the request caused and their deliveries.</summary>
public sealed class CausedEventsTests(NexusApp<CausedEventsTests> app) : IClassFixture<NexusApp<CausedEventsTests>>
{
    [Fact]
    public async Task A_logged_request_shows_the_events_it_caused_with_links_to_their_deliveries()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync();
        var cause = UsageData.Log(org, key, DateTimeOffset.UtcNow.AddMinutes(-1), 201, method: "POST");
        var quiet = UsageData.Log(org, key, DateTimeOffset.UtcNow, 200);
        await org.StoreLogsAsync([cause, quiet]);
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var (evt, delivery) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, requestId: cause.Id, attempts: WebhookPage.Attempt(200));
        var other = await app.CreateOrgAsync("Other Org");
        await using (var session = app.Store.LightweightSession())
        {
            // Another org's event claiming the same request id is not shown.
            session.Store(EventOutbox.NewEvent(other.Org.Id, Shared.Common.Mode.Test, EventCatalog.KeyCreated, "{}", cause.Id, TimeProvider.System));
            await session.SaveChangesAsync();
        }

        var html = await client.Http.GetStringAsync("/logs?mode=test");

        var causeRow = Row(html, cause.Id);
        Assert.Contains("Webhook events this request caused", causeRow);
        Assert.Contains(evt.Id, causeRow);
        Assert.Contains($"href=\"/webhooks?mode=test&delivery={delivery.Id}\"", causeRow);
        Assert.Contains("Succeeded", causeRow);
        Assert.DoesNotContain(EventCatalog.KeyCreated, causeRow);
        Assert.DoesNotContain("data-caused-events", Row(html, quiet.Id));

        var page = await client.Http.GetStringAsync($"/webhooks?mode=test&delivery={delivery.Id}");
        Assert.Contains($"aria-labelledby=\"delivery-title\" data-delivery-id=\"{delivery.Id}\"", page);
    }

    /// <summary>The HTML of one log entry (from its opening tag to the next entry's).</summary>
    private static string Row(string html, string logId)
    {
        var start = html.IndexOf($"data-log-id=\"{logId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {logId}");
        var end = html.IndexOf("data-log-id=", start + 20, StringComparison.Ordinal);
        return end < 0 ? html[start..] : html[start..end];
    }
}
