using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.Events.Replay;

/// <summary>Where to send the event again. The body is optional.</summary>
public sealed class Request
{
    /// <summary>The event's id (from the path).</summary>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>Optional: replay to this endpoint only (<c>we_…</c>, enabled, of the caller's mode). Absent: to every enabled endpoint subscribed to the event's type now.</summary>
    public string? EndpointId { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.EndpointId).Must(id => id is null || Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix))
                .WithMessage("endpoint_id must be a webhook endpoint id (we_…)");
        }
    }
}
