using FastEndpoints;
using FluentValidation;

namespace Nexus.Web.Api.WebhookEndpoints.RetryFailed;

/// <summary>Which failed deliveries to retry: those queued since a time.</summary>
public sealed class Request
{
    /// <summary>The endpoint's id (from the path).</summary>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>Retry failed deliveries queued at or after this time: ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c> or <c>2026-11-22</c> (UTC midnight).</summary>
    public string? Since { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Since).NotEmpty().WithMessage("since is required");
            RuleFor(x => x.Since).Must(s => string.IsNullOrEmpty(s) || ApiQuery.TryParseTime(s, out _))
                .WithMessage("since must be an ISO 8601 time, like 2026-11-22T10:00:00Z");
        }
    }
}
