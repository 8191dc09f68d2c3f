using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.WebhookEndpoints;

/// <summary>A webhook endpoint as the API shows it. Never carries the signing secret (see the create, rotate and reveal routes).</summary>
public class EndpointObject
{
    /// <summary>Unique id, e.g. <c>we_01jd4n6x9m3f8r2k7q5w0y1z3a</c>. Ids sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>webhook_endpoint</c>.</summary>
    public string Object { get; init; } = "webhook_endpoint";

    /// <summary>Where events are POSTed, e.g. <c>https://example.com/webhooks</c>.</summary>
    public required string Url { get; init; }

    /// <summary>A note for people, up to 500 characters.</summary>
    public required string Description { get; init; }

    /// <summary>The event types this endpoint receives; <c>["*"]</c> means every type, custom ones included.</summary>
    public required IReadOnlyList<string> EnabledEvents { get; init; }

    /// <summary><c>enabled</c> or <c>disabled</c>. A disabled endpoint receives nothing; events meanwhile are not queued for it.</summary>
    public required string Status { get; init; }

    /// <summary>Why Nexus disabled the endpoint by itself (410 Gone, or deliveries dead-lettered again and again); null when enabled or disabled by a person.</summary>
    public required string? DisabledReason { get; init; }

    /// <summary><c>test</c> or <c>live</c>: the events the endpoint receives. Always the mode of the key that manages it.</summary>
    public required string Mode { get; init; }

    /// <summary>Delays between attempts in seconds, e.g. <c>[60, 300, 900]</c>; null uses the deployment's schedule (1, 5 and 15 minutes by default).</summary>
    public required IReadOnlyList<int>? RetrySchedule { get; init; }

    /// <summary>During a secret rotation's grace period: when the previous secret stops signing. Null otherwise.</summary>
    public required DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>When the endpoint was created (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the endpoint last changed (ISO 8601, UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public EndpointObject() { }

    /// <summary>Copies an endpoint object, for the responses that add the secret to it.</summary>
    [SetsRequiredMembers]
    protected EndpointObject(EndpointObject o)
    {
        Id = o.Id; Url = o.Url; Description = o.Description; EnabledEvents = o.EnabledEvents; Status = o.Status;
        DisabledReason = o.DisabledReason; Mode = o.Mode; RetrySchedule = o.RetrySchedule;
        PreviousSecretExpiresAt = o.PreviousSecretExpiresAt; CreatedAt = o.CreatedAt; UpdatedAt = o.UpdatedAt;
    }

    /// <summary>The endpoint as it stands at <paramref name="now"/> (an expired rotation grace is not shown).</summary>
    public static EndpointObject From(WebhookEndpoint e, DateTimeOffset now) => new()
    {
        Id = e.Id,
        Url = e.Url,
        Description = e.Description,
        EnabledEvents = e.EventTypes.Count == 0 ? ["*"] : e.EventTypes,
        Status = e.Enabled ? "enabled" : "disabled",
        DisabledReason = e.Enabled ? null : e.DisabledReason,
        Mode = e.Mode.ToWire(),
        RetrySchedule = e.RetryScheduleSeconds,
        PreviousSecretExpiresAt = e.PreviousSecretCiphertext is not null && e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null,
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
    };

    public static readonly EndpointObject Example = new()
    {
        Id = "we_01jd4n6x9m3f8r2k7q5w0y1z3a",
        Url = "https://example.com/webhooks/nexus",
        Description = "Order service",
        EnabledEvents = [EventCatalog.NoteCreated, EventCatalog.NoteUpdated],
        Status = "enabled",
        DisabledReason = null,
        Mode = "live",
        RetrySchedule = null,
        PreviousSecretExpiresAt = null,
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z", CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z", CultureInfo.InvariantCulture),
    };
}

/// <summary>An endpoint just created, or whose secret was just rotated, with its signing secret.</summary>
public sealed class EndpointWithSecret : EndpointObject
{
    public EndpointWithSecret() { }

    [SetsRequiredMembers]
    public EndpointWithSecret(EndpointObject endpoint, string secret) : base(endpoint) => Secret = secret;

    /// <summary>
    /// The signing secret, <c>whsec_…</c>: verify every delivery's <c>webhook-signature</c> with it
    /// (Standard Webhooks). Shown here once; an owner can reveal it again with <c>admin:all</c>.
    /// </summary>
    [JsonPropertyOrder(1)]
    public required string Secret { get; init; }

    public static new readonly EndpointWithSecret Example = new(EndpointObject.Example, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
}
