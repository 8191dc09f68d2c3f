using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>The event's payload is over <see cref="EventOutbox.MaxPayloadBytes"/>.</summary>
public sealed class PayloadTooLargeException(int bytes)
    : Exception($"The event payload is {bytes:N0} bytes; the most an event may carry is {EventOutbox.MaxPayloadBytes:N0}.")
{
    public int Bytes { get; } = bytes;
}

/// <summary>
/// The transactional outbox: an event and one delivery per subscribed, enabled endpoint of the
/// same org and mode are added to the caller's Marten session, so they commit together with the
/// change that caused them, or not at all. The worker is woken with a <c>NOTIFY</c> that, like
/// the rest, is sent only on commit. Nothing is sent from the web process.
/// </summary>
public static class EventOutbox
{
    public const int MaxPayloadBytes = 64 * 1024;

    /// <summary>One channel per schema, so deployments (or test classes) sharing a database do not wake each other's workers.</summary>
    public static string Channel(string schema) =>
        "nx_deliveries_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..16];

    /// <summary>
    /// Adds an event of <paramref name="type"/> carrying <paramref name="dataJson"/> (a JSON value)
    /// and its deliveries to <paramref name="session"/>; the caller commits. Throws
    /// <see cref="PayloadTooLargeException"/> when the payload is over the cap.
    /// </summary>
    public static Task<WebhookEvent> PublishAsync(IDocumentSession session, string orgId, Mode mode, string type, string dataJson,
        string? requestId, TimeProvider clock, CancellationToken ct) =>
        PublishAsync(session, orgId, mode, type, dataJson, previousAttributesJson: null, requestId, clock, ct);

    /// <summary>
    /// As above, for an update: the payload also carries <paramref name="previousAttributesJson"/> (a
    /// JSON object) as <c>previous_attributes</c>, the earlier value of each field that changed.
    /// </summary>
    public static async Task<WebhookEvent> PublishAsync(IDocumentSession session, string orgId, Mode mode, string type, string dataJson,
        string? previousAttributesJson, string? requestId, TimeProvider clock, CancellationToken ct)
    {
        var evt = NewEvent(orgId, mode, type, dataJson, requestId, clock, previousAttributesJson);
        var endpoints = await session.Query<WebhookEndpoint>()
            .Where(e => e.OrgId == orgId && e.Mode == mode && e.Enabled && !e.Deleted)
            .ToListAsync(ct);
        var subscribed = endpoints.Where(e => e.Wants(type)).ToList();
        evt.EndpointCount = subscribed.Count;
        session.Store(evt);
        foreach (var endpoint in subscribed) Enqueue(session, evt, endpoint.Id, DeliveryTriggers.Event, clock);
        return evt;
    }

    /// <summary>The event with its payload serialized once, for every delivery to send byte for byte.</summary>
    public static WebhookEvent NewEvent(string orgId, Mode mode, string type, string dataJson, string? requestId, TimeProvider clock,
        string? previousAttributesJson = null)
    {
        var now = clock.GetUtcNow();
        var id = Ids.New(WebhookEvent.IdPrefix, clock);
        var payload = Payload(id, type, Timestamps.Format(now), mode.ToWire(), dataJson, previousAttributesJson);
        if (payload.Length > MaxPayloadBytes) throw new PayloadTooLargeException(payload.Length);
        return new WebhookEvent
        {
            Id = id,
            OrgId = orgId,
            Mode = mode,
            Type = type,
            CreatedAt = now,
            Payload = Encoding.UTF8.GetString(payload),
            RequestId = requestId,
        };
    }

    /// <summary>
    /// The body every endpoint receives, UTF-8: <c>id</c>, <c>type</c>, <c>created_at</c>, <c>mode</c>,
    /// <c>data</c> and, for an update, <c>previous_attributes</c>. The catalog's examples are written here too.
    /// </summary>
    public static ReadOnlySpan<byte> Payload(string id, string type, string createdAt, string mode, string dataJson, string? previousAttributesJson)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + dataJson.Length + (previousAttributesJson?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("type", type);
            json.WriteString("created_at", createdAt);
            json.WriteString("mode", mode);
            json.WritePropertyName("data");
            json.WriteRawValue(dataJson);
            if (previousAttributesJson is not null)
            {
                json.WritePropertyName("previous_attributes");
                json.WriteRawValue(previousAttributesJson);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan;
    }

    /// <summary>Queues a new delivery of a stored event to one endpoint, due now (first delivery and replays alike).</summary>
    public static WebhookDelivery Enqueue(IDocumentSession session, WebhookEvent evt, string endpointId, string trigger, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Ids.New(WebhookDelivery.IdPrefix, clock),
            OrgId = evt.OrgId,
            Mode = evt.Mode,
            EndpointId = endpointId,
            EventId = evt.Id,
            EventType = evt.Type,
            Trigger = trigger,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(delivery);
        QueueWake(session);
        return delivery;
    }

    /// <summary>Wakes listening workers when the transaction commits.</summary>
    public static void QueueWake(IDocumentSession session) =>
        session.QueueSqlCommand("select pg_notify(?, '')", Channel(session.DocumentStore.Options.DatabaseSchemaName));
}
