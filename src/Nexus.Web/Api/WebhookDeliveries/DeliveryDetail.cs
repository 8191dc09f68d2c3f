using System.Diagnostics.CodeAnalysis;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.WebhookDeliveries;

/// <summary>A delivery with every attempt made, oldest first.</summary>
public sealed class DeliveryDetail : DeliveryObject
{
    /// <summary>Every HTTP attempt, oldest first.</summary>
    public required IReadOnlyList<AttemptObject> Attempts { get; init; }

    public DeliveryDetail() { }

    [SetsRequiredMembers]
    private DeliveryDetail(DeliveryObject d, IReadOnlyList<AttemptObject> attempts)
    {
        Id = d.Id; EndpointId = d.EndpointId; EventId = d.EventId; EventType = d.EventType; Status = d.Status; Trigger = d.Trigger;
        Mode = d.Mode; AttemptCount = d.AttemptCount; LastStatusCode = d.LastStatusCode; NextAttemptAt = d.NextAttemptAt;
        CreatedAt = d.CreatedAt; UpdatedAt = d.UpdatedAt; Attempts = attempts;
    }

    public static new DeliveryDetail From(WebhookDelivery d) => new(DeliveryObject.From(d), d.Attempts.Select(AttemptObject.From).ToList());

    public static new readonly DeliveryDetail Example = new(DeliveryObject.Example, [AttemptObject.Example]);
}

/// <summary>One HTTP attempt of a delivery. A blocked or unreachable target has no status code and no response.</summary>
public sealed class AttemptObject
{
    /// <summary>Unique id of the attempt.</summary>
    public required string Id { get; init; }

    /// <summary>When the attempt started (ISO 8601, UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>How long it took, in milliseconds.</summary>
    public required int DurationMs { get; init; }

    /// <summary>The receiver's HTTP status; null when no response came.</summary>
    public required int? StatusCode { get; init; }

    /// <summary>True for a 2xx answer.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Why it failed, for programs: <c>http_status</c>, <c>timeout</c>, <c>connection_failed</c>, <c>blocked_address</c>, <c>redirect</c>…; null on success.</summary>
    public required string? ErrorCode { get; init; }

    /// <summary>Why it failed, for people; null on success.</summary>
    public required string? Error { get; init; }

    /// <summary>What made the attempt: <c>event</c>, <c>replay</c> or <c>manual_retry</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>The response's headers.</summary>
    public required IReadOnlyDictionary<string, string> ResponseHeaders { get; init; }

    /// <summary>The start of the response body, at most 20 KB, as text.</summary>
    public required string? ResponseBody { get; init; }

    /// <summary>True when the body was longer than what is kept.</summary>
    public required bool ResponseBodyTruncated { get; init; }

    public static AttemptObject From(DeliveryAttempt a) => new()
    {
        Id = a.Id, At = a.At, DurationMs = a.DurationMs, StatusCode = a.StatusCode, Succeeded = a.Succeeded, ErrorCode = a.ErrorCode,
        Error = a.Error, Trigger = a.Trigger, ResponseHeaders = a.ResponseHeaders, ResponseBody = a.ResponseBody,
        ResponseBodyTruncated = a.ResponseBodyTruncated,
    };

    public static readonly AttemptObject Example = new()
    {
        Id = "atm_01jd4n6xa4m5n6p7q8r9s0t1v2", At = DeliveryObject.Example.CreatedAt, DurationMs = 180, StatusCode = 200, Succeeded = true,
        ErrorCode = null, Error = null, Trigger = DeliveryTriggers.Event,
        ResponseHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/json" }, ResponseBody = """{"received":true}""",
        ResponseBodyTruncated = false,
    };
}
