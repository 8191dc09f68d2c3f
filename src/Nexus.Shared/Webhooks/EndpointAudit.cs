using Nexus.Shared.Audit;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// What an endpoint's audit entries record: the entry itself, and which settings a change moved
/// from what to what. The secret is never among them.
/// </summary>
internal static class EndpointAudit
{
    public static AuditEntry Entry(WebhookEndpoint endpoint, AuditActor actor, string action, TimeProvider clock) =>
        AuditEntry.For(endpoint.OrgId, endpoint.Mode, actor, action, "webhook_endpoint", endpoint.Id, endpoint.Url, clock);

    /// <summary>The audited settings as text, taken before a change so <see cref="Describe"/> can compare.</summary>
    public sealed record Fields(string Url, string Description, string Events, bool Enabled, string? Schedule);

    public static Fields Snapshot(WebhookEndpoint e) =>
        new(e.Url, e.Description, e.EventTypes.Count == 0 ? "*" : string.Join(",", e.EventTypes), e.Enabled,
            e.RetryScheduleSeconds is null ? null : string.Join(",", e.RetryScheduleSeconds));

    /// <summary>The settings that differ from <paramref name="before"/>; with no before (a new endpoint), every one that is set.</summary>
    public static IEnumerable<AuditChange> Describe(Fields? before, WebhookEndpoint endpoint)
    {
        var after = Snapshot(endpoint);
        if (before?.Url != after.Url) yield return new("url", before?.Url, after.Url);
        if (before?.Description != after.Description && (before is not null || after.Description.Length > 0)) yield return new("description", before?.Description, after.Description);
        if (before?.Events != after.Events) yield return new("enabled_events", before?.Events, after.Events);
        if (before?.Enabled != after.Enabled) yield return new("enabled", before?.Enabled.ToString().ToLowerInvariant(), after.Enabled.ToString().ToLowerInvariant());
        if (before is not null ? before.Schedule != after.Schedule : after.Schedule is not null) yield return new("retry_schedule", before?.Schedule, after.Schedule);
    }
}
