using Nexus.Shared.Common;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.WebhookEndpoints.Update;

/// <summary>The settings to change; a field that is absent stays as it is.</summary>
public sealed class Request
{
    /// <summary>The endpoint's id (from the path).</summary>
    /// <remarks>Not a body field: an <c>id</c> in the body is an unknown parameter, not a silent no-op.</remarks>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>A new URL (checked like on create).</summary>
    public string? Url { get; init; }

    /// <summary>A new description, up to 500 characters on one line (no line breaks, tabs or other control characters); <c>""</c> clears it.</summary>
    public string? Description { get; init; }

    /// <summary>The event types to receive, replacing the old list; <c>["*"]</c> for every type.</summary>
    public List<string>? EnabledEvents { get; init; }

    /// <summary><c>true</c> stops deliveries to the endpoint; <c>false</c> enables it again (and clears <c>disabled_reason</c>).</summary>
    public bool? Disabled { get; init; }

    /// <summary>Delays between attempts in seconds, e.g. <c>[60, 300, 900]</c>; <c>null</c> returns to the deployment's schedule.</summary>
    public JsonElement RetrySchedule { get; init; }

    /// <summary>The schedule given, when one was (an array of whole seconds).</summary>
    internal List<int>? Schedule() => RetrySchedule.ValueKind == JsonValueKind.Array
        ? RetrySchedule.EnumerateArray().Select(e => e.GetInt32()).ToList()
        : null;

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Description).MaximumLength(WebhookEndpoint.MaxDescriptionLength)
                .WithMessage($"description must be at most {WebhookEndpoint.MaxDescriptionLength} characters")
                .Must(OneLine.Allows).WithMessage(OneLine.ParameterProblem("description"));
            RuleFor(x => x.EnabledEvents).Must(e => e is null || e.All(t => t is not null)).WithMessage("enabled_events must be a list of event type names");
            RuleFor(x => x.RetrySchedule).Custom(CheckShape);
        }

        /// <summary>
        /// The shape only, in create's words (where the body binds to a list of ints): a delay that is
        /// not a whole number is named by its index. How many delays and how long each may be are the
        /// schedule's own rules (<see cref="Nexus.Shared.Webhooks.EndpointSpec"/>), shared with create.
        /// </summary>
        private static void CheckShape(JsonElement schedule, FluentValidation.ValidationContext<Request> context)
        {
            if (schedule.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return;
            if (schedule.ValueKind != JsonValueKind.Array)
            {
                context.AddFailure("retry_schedule", "retry_schedule must be an array of whole numbers.");
                return;
            }
            var index = 0;
            foreach (var delay in schedule.EnumerateArray())
            {
                if (delay.ValueKind != JsonValueKind.Number || !delay.TryGetInt32(out _))
                {
                    context.AddFailure($"retry_schedule[{index}]", $"retry_schedule[{index}] must be a whole number.");
                    return;
                }
                index++;
            }
        }
    }
}
