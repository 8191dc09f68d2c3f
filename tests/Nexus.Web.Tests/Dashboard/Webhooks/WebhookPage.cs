using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>Drives the Webhooks page's forms as htmx would, and reads or arranges what they store.</summary>
public static partial class WebhookPage
{
    /// <summary>A loopback URL (the tests allow 127.0.0.0/8); nothing listens there unless a test starts a receiver.</summary>
    public const string Url = "http://127.0.0.1:9/hooks/nexus";

    public static Task<HttpResponseMessage> CreateEndpointAsync(this DashboardClient client, string url = Url, string mode = "test",
        string description = "", params string[] events) =>
        client.HtmxPostAsync($"/webhooks/endpoints?mode={mode}",
            [new("url", url), new("description", description), .. (events.Length == 0 ? ["*"] : events).Select(e => new KeyValuePair<string, string>("enabled_events", e))]);

    /// <summary>Creates an endpoint through the page and returns it as stored.</summary>
    public static async Task<WebhookEndpoint> CreatedEndpointAsync(this DashboardClient client, IDocumentStore store, string url = Url, string mode = "test", params string[] events)
    {
        var response = await client.CreateEndpointAsync(url, mode, "", events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var session = store.QuerySession();
        return await session.Query<WebhookEndpoint>().Where(e => e.Url == url).OrderByDescending(e => e.CreatedAt).FirstAsync();
    }

    public static async Task<IReadOnlyList<WebhookEndpoint>> EndpointsOfAsync(this IDocumentStore store, string orgId)
    {
        await using var session = store.QuerySession();
        return await session.Query<WebhookEndpoint>().Where(e => e.OrgId == orgId).ToListAsync();
    }

    public static async Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfAsync(this IDocumentStore store, string orgId)
    {
        await using var session = store.QuerySession();
        return await session.Query<WebhookDelivery>().Where(d => d.OrgId == orgId).ToListAsync();
    }

    /// <summary>An event (with <paramref name="payload"/>, or a short note) and one delivery of it to <paramref name="endpoint"/>, with the attempts given, stored as the worker would leave them.</summary>
    public static async Task<(WebhookEvent Event, WebhookDelivery Delivery)> StoreDeliveryAsync(this IDocumentStore store, WebhookEndpoint endpoint,
        DeliveryStatus status, DateTimeOffset? createdAt = null, string? requestId = null, string? payload = null, string? eventType = null,
        string? previousAttributes = null, params DeliveryAttempt[] attempts)
    {
        await using var session = store.LightweightSession();
        var evt = EventOutbox.NewEvent(endpoint.OrgId, endpoint.Mode, eventType ?? EventCatalog.NoteCreated, payload ?? """{"object":"note","id":"note_1","title":"Hi"}""", requestId, TimeProvider.System,
            previousAttributes);
        session.Store(evt);
        var delivery = EventOutbox.Enqueue(session, evt, endpoint.Id, DeliveryTriggers.Event, TimeProvider.System);
        delivery.Status = status;
        delivery.Attempts = attempts.ToList();
        delivery.ScheduledAttempts = attempts.Length;
        if (createdAt is { } at) delivery.CreatedAt = evt.CreatedAt = at;
        delivery.NextAttemptAt = status == DeliveryStatus.Pending ? DateTimeOffset.UtcNow.AddMinutes(5) : null;
        await session.SaveChangesAsync();
        return (evt, delivery);
    }

    public static DeliveryAttempt Attempt(int? status, string? error = null, string? body = null) => new()
    {
        Id = Ids.New(DeliveryAttempt.IdPrefix),
        At = DateTimeOffset.UtcNow.AddSeconds(-30),
        DurationMs = 42,
        StatusCode = status,
        Succeeded = status is >= 200 and < 300,
        ErrorCode = status is null ? "connection_failed" : status >= 300 ? "http_status" : null,
        Error = error,
        ResponseHeaders = status is null ? [] : new() { ["content-type"] = "text/plain", ["x-receiver"] = "tests" },
        ResponseBody = body,
        WorkerId = "worker-test",
    };

    /// <summary>The signing secret in the one response that shows it.</summary>
    public static string ShownSecret(string html)
    {
        var match = SecretInput().Match(html);
        Assert.True(match.Success, "The response does not show a signing secret");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("""id="webhook-secret-value"[^>]*value="([^"]+)" """)]
    private static partial Regex SecretInput();
}
