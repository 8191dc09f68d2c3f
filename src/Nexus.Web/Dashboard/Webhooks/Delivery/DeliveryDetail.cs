using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Delivery;

/// <summary>One delivery opened: the event's payload, every attempt, and what may be done next (with the outcome of the last action, if any).</summary>
public sealed record DeliveryDetail(WebhookDelivery Delivery, WebhookEvent? Event, WebhookEndpoint? Endpoint, DateTimeOffset Now, bool CanManage, Notice? Notice = null)
{
    public const string View = "~/Dashboard/Webhooks/Delivery/_Delivery.cshtml";

    public string Q => "mode=" + Delivery.Mode.ToWire();

    /// <summary>The org's delivery in this mode, or null (also for another org's).</summary>
    public static async Task<DeliveryDetail?> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, bool canManage, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id, WebhookDelivery.IdPrefix)) return null;
        var delivery = await session.LoadAsync<WebhookDelivery>(id, ct);
        if (delivery is null || delivery.OrgId != orgId || delivery.Mode != mode) return null;
        var batch = session.CreateBatchQuery();
        var evt = batch.Load<WebhookEvent>(delivery.EventId);
        var endpoint = batch.Load<WebhookEndpoint>(delivery.EndpointId);
        await batch.Execute(ct);
        return new DeliveryDetail(delivery, await evt, await endpoint, clock.GetUtcNow(), canManage);
    }

    /// <summary>The payload indented for reading; the bytes sent are the stored ones, unchanged.</summary>
    public string PrettyPayload()
    {
        if (Event is null) return "(event not found)";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(Event.Payload);
            return System.Text.Json.JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (System.Text.Json.JsonException)
        {
            return Event.Payload;
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
