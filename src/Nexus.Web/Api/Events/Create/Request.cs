using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.Events.Create;

/// <summary>A custom event.</summary>
public sealed class Request
{
    /// <summary>A type from <c>GET /api/v1/event-types</c>, or your own <c>custom.*</c> name (lower-case letters, digits, <c>_</c> and <c>.</c>, at most 100 characters), e.g. <c>custom.invoice.paid</c>.</summary>
    public string? Type { get; init; }

    /// <summary>A JSON object: what endpoints receive as the payload's <c>data</c>. The whole payload may be at most 64 KB.</summary>
    public JsonElement Data { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Type).NotEmpty().WithMessage("type is required");
            RuleFor(x => x.Type).MaximumLength(EventCatalog.MaxTypeLength).WithMessage($"type must be at most {EventCatalog.MaxTypeLength} characters");
            RuleFor(x => x.Data).Must(d => d.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
                .WithErrorCode("NotNullValidator").WithMessage("data is required: a JSON object");
            RuleFor(x => x.Data).Must(d => d.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object)
                .WithMessage("data must be a JSON object");
        }
    }
}
