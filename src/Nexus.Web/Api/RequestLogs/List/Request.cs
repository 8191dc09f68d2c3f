using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;

namespace Nexus.Web.Api.RequestLogs.List;

public sealed class Request
{
    /// <summary>Page size, 1–100 (larger values are capped at 100). Default 20.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (a request id). Returns older requests. It must name a request log this key can list: an id that is not one (another org's or mode's, or one past the org's retention) is a 400.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only responses of this class: <c>2xx</c>, <c>3xx</c>, <c>4xx</c> or <c>5xx</c>.</summary>
    [QueryParam]
    [QueryValues(typeof(Request), nameof(StatusClasses))]
    public string? Status { get; init; }

    /// <summary>Only requests made with this key id.</summary>
    [QueryParam, BindFrom("key_id")]
    public string? KeyId { get; init; }

    /// <summary>Only requests whose path starts with this (e.g. <c>/api/v1/notes</c>).</summary>
    [QueryParam]
    public string? Path { get; init; }

    /// <summary>Only requests with this HTTP method.</summary>
    [QueryParam]
    [QueryValues(typeof(RequestLog), nameof(RequestLog.Methods))]
    public string? Method { get; init; }

    /// <summary>Only requests at or after this time (ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c>, or a date).</summary>
    [QueryParam, BindFrom("created_gte")]
    public string? CreatedGte { get; init; }

    /// <summary>Only requests before this time (ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c>, or a date).</summary>
    [QueryParam, BindFrom("created_lt")]
    public string? CreatedLt { get; init; }

    internal static readonly string[] StatusClasses = ["2xx", "3xx", "4xx", "5xx"];

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).Must(l => l is null or > 0).WithMessage("limit must be at least 1");
            RuleFor(x => x.StartingAfter).Cursor("req", "a request id");
            RuleFor(x => x.Status).Must(s => s is null || StatusClasses.Contains(s))
                .WithMessage("status must be one of 2xx, 3xx, 4xx, 5xx");
            RuleFor(x => x.KeyId).Must(k => k is null || Ids.IsWellFormed(k, "key")).WithMessage("key_id must be a key id");
            RuleFor(x => x.Path).Must(p => p is null || (p.StartsWith('/') && p.Length <= 512)).WithMessage("path must start with / and be at most 512 characters");
            RuleFor(x => x.Method).Must(m => m is null || RequestLog.Methods.Contains(m)).WithMessage($"method must be one of {string.Join(", ", RequestLog.Methods)}");
            this.CreatedRange(x => x.CreatedGte, x => x.CreatedLt);
        }
    }
}
