using System.Globalization;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.WebhookDeliveries;

/// <summary>One event on its way to one endpoint, as the API shows it (lists leave the attempts out; retrieve one to see them).</summary>
public class DeliveryObject
{
    /// <summary>Unique id, e.g. <c>dlv_01jd4n6x9m3f8r2k7q5w0y1z3a</c>. Ids sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>webhook_delivery</c>.</summary>
    public string Object { get; init; } = "webhook_delivery";

    /// <summary>The endpoint it goes to.</summary>
    public required string EndpointId { get; init; }

    /// <summary>The event it carries; also the <c>webhook-id</c> header of every attempt, retries and replays included.</summary>
    public required string EventId { get; init; }

    /// <summary>The event's type, e.g. <c>note.created</c>.</summary>
    public required string EventType { get; init; }

    /// <summary><c>pending</c> (waiting for an attempt, or being attempted), <c>succeeded</c>, or <c>failed</c> (every attempt failed: dead-lettered).</summary>
    public required string Status { get; init; }

    /// <summary>Why the delivery exists or was last made due: <c>event</c>, <c>replay</c> or <c>manual_retry</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>How many attempts were made.</summary>
    public required int AttemptCount { get; init; }

    /// <summary>The HTTP status of the last attempt; null before the first or when no response came (timeout, refused connection).</summary>
    public required int? LastStatusCode { get; init; }

    /// <summary>When the next attempt is due; null once the delivery succeeded or failed.</summary>
    public required DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the delivery was queued (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed (ISO 8601, UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public static DeliveryObject From(WebhookDelivery d) => new()
    {
        Id = d.Id, EndpointId = d.EndpointId, EventId = d.EventId, EventType = d.EventType, Status = StatusName(d.Status),
        Trigger = d.Trigger, Mode = d.Mode.ToWire(), AttemptCount = d.Attempts.Count, LastStatusCode = d.Attempts.LastOrDefault()?.StatusCode,
        NextAttemptAt = d.NextAttemptAt, CreatedAt = d.CreatedAt, UpdatedAt = d.UpdatedAt,
    };

    public static string StatusName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Succeeded => "succeeded",
        DeliveryStatus.Failed => "failed",
        _ => "pending",
    };

    /// <summary>The statuses a delivery list filters on, as <see cref="TryParseStatus"/> reads them.</summary>
    public static readonly IReadOnlyList<string> StatusNames = ["pending", "succeeded", "failed"];

    public static bool TryParseStatus(string? name, out DeliveryStatus status)
    {
        (var ok, status) = name switch
        {
            "pending" => (true, DeliveryStatus.Pending),
            "succeeded" => (true, DeliveryStatus.Succeeded),
            "failed" => (true, DeliveryStatus.Failed),
            _ => (false, DeliveryStatus.Pending),
        };
        return ok;
    }

    private static readonly DateTimeOffset ExampleTime = DateTimeOffset.Parse("2026-11-22T10:00:00Z", CultureInfo.InvariantCulture);

    public static readonly DeliveryObject Example = new()
    {
        Id = "dlv_01jd4n6xa2b3c4d5e6f7g8h9j0", EndpointId = "we_01jd4n6x9m3f8r2k7q5w0y1z3a", EventId = "evt_01jd4n6xa0k7q5w0y1z3a9m3f8",
        EventType = EventCatalog.NoteCreated, Status = "succeeded", Trigger = DeliveryTriggers.Event, Mode = "live",
        AttemptCount = 1, LastStatusCode = 200, NextAttemptAt = null, CreatedAt = ExampleTime, UpdatedAt = ExampleTime.AddMilliseconds(180),
    };
}
