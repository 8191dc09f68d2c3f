using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Tests.Support;

/// <summary>Webhook endpoints, events and deliveries made the way the product makes them, and what a test reads back.</summary>
public static class WebhookData
{
    /// <summary>An endpoint created through <see cref="EndpointManager"/> (checked, encrypted, audited), optionally disabled.</summary>
    public static async Task<(WebhookEndpoint Endpoint, string Secret)> CreateEndpointAsync(this TestOrg org, Mode mode = Mode.Test,
        IReadOnlyList<string>? types = null, bool enabled = true, string url = ApiRoutes.ReceiverUrl)
    {
        await using var scope = org.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<EndpointManager>();
        var result = await manager.CreateAsync(org.Org.Id, mode, new EndpointSpec(url, "seeded", types, enabled), Actor(org), CancellationToken.None);
        Assert.Null(result.Refusal);
        return (result.Endpoint!, result.Secret!);
    }

    /// <summary>
    /// An endpoint subscribed to everything, an event queued for it, and its delivery dead-lettered
    /// after one failed attempt (as the worker would leave it): a target for every webhook route.
    /// </summary>
    public static async Task<(WebhookEndpoint Endpoint, WebhookEvent Event, WebhookDelivery Delivery)> SeedDeliveryAsync(TestOrg org, Mode mode)
    {
        var (endpoint, _) = await org.CreateEndpointAsync(mode);
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var evt = await EventOutbox.PublishAsync(session, org.Org.Id, mode, "custom.seed", """{"seeded":true}""", null, TimeProvider.System, CancellationToken.None);
        await session.SaveChangesAsync();

        var delivery = (await DeliveriesAsync(org)).Single(d => d.EventId == evt.Id && d.EndpointId == endpoint.Id);
        var now = DateTimeOffset.UtcNow;
        delivery.Status = DeliveryStatus.Failed;
        delivery.NextAttemptAt = null;
        delivery.Attempts.Add(new DeliveryAttempt
        {
            Id = Ids.New(DeliveryAttempt.IdPrefix), At = now, DurationMs = 12, StatusCode = 500, ErrorCode = "http_status", Error = "HTTP 500",
            ResponseHeaders = new() { ["Content-Type"] = "text/plain" }, ResponseBody = "boom", WorkerId = "test",
        });
        await using var update = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        update.Store(delivery);
        await update.SaveChangesAsync();
        return (endpoint, evt, delivery);
    }

    public static async Task<List<WebhookEvent>> EventsAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<WebhookEvent>().Where(e => e.OrgId == org.Org.Id).OrderBy(e => e.Id).ToListAsync()).ToList();
    }

    public static async Task<List<WebhookDelivery>> DeliveriesAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<WebhookDelivery>().Where(d => d.OrgId == org.Org.Id).OrderBy(d => d.Id).ToListAsync()).ToList();
    }

    public static async Task<List<WebhookEndpoint>> EndpointsAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<WebhookEndpoint>().Where(e => e.OrgId == org.Org.Id).OrderBy(e => e.Id).ToListAsync()).ToList();
    }

    public static async Task<WebhookEndpoint?> LoadEndpointAsync(this TestOrg org, string id)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<WebhookEndpoint>(id);
    }

    public static async Task<WebhookDelivery?> LoadDeliveryAsync(this TestOrg org, string id)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<WebhookDelivery>(id);
    }

    private static AuditActor Actor(TestOrg org) => AuditActor.User(org.Owner.Id, org.Owner.Email, "127.0.0.1", null);
}
