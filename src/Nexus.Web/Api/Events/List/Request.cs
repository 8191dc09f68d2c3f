using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;

namespace Nexus.Web.Api.Events.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 20.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (an event id). Returns older events.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only events of this type: one from <c>GET /api/v1/event-types</c> (e.g. <c>note.created</c>) or a <c>custom.*</c> name.</summary>
    [QueryParam]
    public string? Type { get; init; }

    /// <summary>Only events at or after this time: ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c> or <c>2026-11-22</c> (UTC midnight).</summary>
    [QueryParam, BindFrom("created_gte")]
    public string? CreatedGte { get; init; }

    /// <summary>Only events before this time (ISO 8601, as <c>created_gte</c>).</summary>
    [QueryParam, BindFrom("created_lt")]
    public string? CreatedLt { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(WebhookEvent.IdPrefix, "an event id");
            RuleFor(x => x.Type).EventTypeFilter("type");
            this.CreatedRange(x => x.CreatedGte, x => x.CreatedLt);
        }
    }
}
