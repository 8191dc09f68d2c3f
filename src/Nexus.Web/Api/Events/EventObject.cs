using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.Events;

/// <summary>Something that happened in an org, as the API shows it: the same <c>data</c> every endpoint received.</summary>
public class EventObject
{
    /// <summary>Unique id, e.g. <c>evt_01jd4n6x9m3f8r2k7q5w0y1z3a</c>; also the <c>webhook-id</c> of every delivery of the event.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>event</c>.</summary>
    public string Object { get; init; } = "event";

    /// <summary>The event type, e.g. <c>note.created</c> or <c>custom.invoice.paid</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>What the event is about: the <c>data</c> of the payload endpoints receive.</summary>
    public required JsonElement Data { get; init; }

    /// <summary>For a <c>*.updated</c> event, the earlier value of each field of <c>data</c> that changed (for <c>metadata</c>, of each key that changed, null for a key that was added); null for other events.</summary>
    public JsonElement? PreviousAttributes { get; init; }

    /// <summary>The API request that caused the event (its <c>X-Request-Id</c>); null when none did. Deliveries send it as <c>X-Request-Id</c>.</summary>
    public required string? RequestId { get; init; }

    /// <summary>How many endpoints the event was queued for when it happened.</summary>
    public required int EndpointCount { get; init; }

    /// <summary>When it happened (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public EventObject() { }

    [SetsRequiredMembers]
    protected EventObject(EventObject o)
    {
        Id = o.Id; Type = o.Type; Mode = o.Mode; Data = o.Data; PreviousAttributes = o.PreviousAttributes; RequestId = o.RequestId; EndpointCount = o.EndpointCount; CreatedAt = o.CreatedAt;
    }

    public static EventObject From(WebhookEvent e)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        return new()
        {
            Id = e.Id, Type = e.Type, Mode = e.Mode.ToWire(), Data = payload.RootElement.GetProperty("data").Clone(),
            PreviousAttributes = payload.RootElement.TryGetProperty("previous_attributes", out var previous) ? previous.Clone() : null,
            RequestId = e.RequestId, EndpointCount = e.EndpointCount, CreatedAt = e.CreatedAt,
        };
    }

    public static readonly EventObject Example = new()
    {
        Id = "evt_01jd4n6xa0k7q5w0y1z3a9m3f8", Type = EventCatalog.NoteCreated, Mode = "live",
        Data = JsonSerializer.Deserialize<JsonElement>(EventCatalog.Find(EventCatalog.NoteCreated)!.ExampleData),
        RequestId = "req_01jd4n6x9zq2w3e4r5t6y7u8i9", EndpointCount = 1,
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z", CultureInfo.InvariantCulture),
    };
}

/// <summary>An event with how its deliveries stand.</summary>
public sealed class EventDetail : EventObject
{
    /// <summary>The event's deliveries (first ones, replays and retries alike) by status.</summary>
    public required DeliveryCounts Deliveries { get; init; }

    public EventDetail() { }

    [SetsRequiredMembers]
    public EventDetail(EventObject e, DeliveryCounts counts) : base(e) => Deliveries = counts;

    public static new readonly EventDetail Example = new(EventObject.Example, new DeliveryCounts { Pending = 0, Succeeded = 1, Failed = 0 });
}

/// <summary>Deliveries of one event, by status.</summary>
public sealed class DeliveryCounts
{
    /// <summary>Waiting for an attempt, or being attempted.</summary>
    public required int Pending { get; init; }

    /// <summary>Received with a 2xx answer.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Dead-lettered after every attempt failed.</summary>
    public required int Failed { get; init; }
}
