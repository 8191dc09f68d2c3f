using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.WebhookEndpoints.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 10.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (an endpoint id). Returns endpoints created before it.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only endpoints created at or after this time: ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c> or <c>2026-11-22</c> (UTC midnight).</summary>
    [QueryParam, BindFrom("created_gte")]
    public string? CreatedGte { get; init; }

    /// <summary>Only endpoints created before this time (ISO 8601, as <c>created_gte</c>).</summary>
    [QueryParam, BindFrom("created_lt")]
    public string? CreatedLt { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(WebhookEndpoint.IdPrefix, "a webhook endpoint id");
            this.CreatedRange(x => x.CreatedGte, x => x.CreatedLt);
        }
    }
}
