using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>What a new endpoint is, or what changes on an existing one (null leaves a setting as it is).</summary>
public sealed record EndpointSpec(string? Url = null, string? Description = null, IReadOnlyList<string>? EventTypes = null,
    bool? Enabled = null, IReadOnlyList<int>? RetryScheduleSeconds = null, bool ClearRetrySchedule = false);

/// <summary>
/// The rules for what an endpoint may be, shared by create and update, so the API and the
/// dashboard refuse the same things with the same words. Parameter names are the API's.
/// </summary>
public static class EndpointSpecRules
{
    public const string EventTypeUnknown = "event_type_unknown";

    /// <summary>The first rule <paramref name="spec"/> breaks, or null; the URL's SSRF check resolves its host, hence async.</summary>
    public static async Task<Refusal?> CheckAsync(EndpointSpec spec, SsrfGuard guard, CancellationToken ct)
    {
        if (spec.Url is not null && await guard.CheckUrlAsync(spec.Url, ct) is { } url)
            return new Refusal(url.Code, url.Message, "url");
        if (spec.Description is { Length: > WebhookEndpoint.MaxDescriptionLength })
            return new Refusal(Refusal.ParameterInvalid, $"The description is longer than {WebhookEndpoint.MaxDescriptionLength} characters.", "description");
        if (!OneLine.Allows(spec.Description))
            return new Refusal(Refusal.ParameterInvalid, OneLine.Problem("description"), "description");
        if (spec.EventTypes is { } types)
        {
            if (types.Count > EventCatalog.All.Count + 50)
                return new Refusal(Refusal.ParameterInvalid, "Too many event types; subscribe to all of them with an empty list instead.", "enabled_events");
            if (types.FirstOrDefault(t => t != "*" && !EventCatalog.IsKnown(t)) is { } unknown)
                return new Refusal(EventTypeUnknown, $"'{Echo.Clip(unknown)}' is not an event type. Use one from the catalog ({string.Join(", ", EventCatalog.All.Select(e => e.Name))}), a custom.* name, or \"*\" for all.", "enabled_events");
        }
        if (spec.RetryScheduleSeconds is { } schedule && RetrySchedule.Problem(schedule) is { } problem)
            return new Refusal(Refusal.ParameterInvalid, problem, "retry_schedule");
        return null;
    }

    /// <summary>Empty (or containing "*") means every type; otherwise distinct, in the order given.</summary>
    internal static List<string> Canonical(IReadOnlyList<string>? types) =>
        types is null || types.Contains("*") ? [] : types.Distinct(StringComparer.Ordinal).ToList();
}
