using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;

namespace Nexus.Web.Api.WebhookDeliveries.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 20.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (a delivery id). Returns older deliveries.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only deliveries to this endpoint (<c>we_…</c>).</summary>
    [QueryParam, BindFrom("endpoint_id")]
    public string? EndpointId { get; init; }

    /// <summary>Only deliveries of this event (<c>evt_…</c>).</summary>
    [QueryParam, BindFrom("event_id")]
    public string? EventId { get; init; }

    /// <summary>Only deliveries of events of this type: one from <c>GET /api/v1/event-types</c> (e.g. <c>note.created</c>) or a <c>custom.*</c> name.</summary>
    [QueryParam, BindFrom("event_type")]
    public string? EventType { get; init; }

    /// <summary>Only deliveries in this status: <c>pending</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    [QueryParam]
    [QueryValues(typeof(DeliveryObject), nameof(DeliveryObject.StatusNames))]
    public string? Status { get; init; }

    /// <summary>Only deliveries queued at or after this time: ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c> or <c>2026-11-22</c> (UTC midnight).</summary>
    [QueryParam, BindFrom("created_gte")]
    public string? CreatedGte { get; init; }

    /// <summary>Only deliveries queued before this time (ISO 8601, as <c>created_gte</c>).</summary>
    [QueryParam, BindFrom("created_lt")]
    public string? CreatedLt { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(WebhookDelivery.IdPrefix, "a delivery id");
            RuleFor(x => x.EndpointId).Must(id => id is null || Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix)).WithMessage("endpoint_id must be a webhook endpoint id (we_…)");
            RuleFor(x => x.EventId).Must(id => id is null || Ids.IsWellFormed(id, WebhookEvent.IdPrefix)).WithMessage("event_id must be an event id (evt_…)");
            RuleFor(x => x.EventType).EventTypeFilter("event_type");
            RuleFor(x => x.Status).Must(s => s is null || DeliveryObject.TryParseStatus(s, out _)).WithMessage("status must be one of pending, succeeded, failed");
            this.CreatedRange(x => x.CreatedGte, x => x.CreatedLt);
        }
    }
}
