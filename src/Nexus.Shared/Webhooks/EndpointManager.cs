using Marten;
using Nexus.Shared.Store;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>What a new endpoint is, or what changes on an existing one (null leaves a setting as it is).</summary>
public sealed record EndpointSpec(string? Url = null, string? Description = null, IReadOnlyList<string>? EventTypes = null,
    bool? Enabled = null, IReadOnlyList<int>? RetryScheduleSeconds = null, bool ClearRetrySchedule = false);

/// <summary>The outcome of an endpoint operation: the endpoint (and, after create or rotate, its secret) or why it was refused.</summary>
public sealed record EndpointResult(WebhookEndpoint? Endpoint, string? Secret, Refusal? Refusal)
{
    public static EndpointResult Refused(string code, string message, string? param = null) => new(null, null, new Refusal(code, message, param));
}

/// <summary>
/// Every change to a webhook endpoint goes through here, from the API and the dashboard alike:
/// the URL's SSRF check, the 20-per-org-and-mode limit (under an advisory lock so concurrent
/// creates cannot pass it together), secret encryption, and the audit entry, written in the same
/// transaction as the change.
/// </summary>
public sealed class EndpointManager(IDocumentSession session, SecretBox secrets, SsrfGuard guard, TimeProvider clock)
{
    public const string EndpointLimitReached = "endpoint_limit_reached";
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);

    public async Task<EndpointResult> CreateAsync(string orgId, Mode mode, EndpointSpec spec, AuditActor actor, CancellationToken ct)
    {
        if (spec.Url is null) return EndpointResult.Refused(Refusal.ParameterMissing, "A URL is required.", "url");
        if (await CheckAsync(spec, ct) is { } refusal) return new(null, null, refusal);

        await LockOrgAsync(orgId, mode, ct);
        var count = await session.Query<WebhookEndpoint>().CountAsync(e => e.OrgId == orgId && e.Mode == mode && !e.Deleted, ct);
        if (count >= WebhookEndpoint.MaxPerOrgAndMode)
            return EndpointResult.Refused(EndpointLimitReached,
                $"This organization already has {WebhookEndpoint.MaxPerOrgAndMode} {mode.ToWire()}-mode webhook endpoints, the most it may have. Delete one first.");

        var now = clock.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix, clock),
            OrgId = orgId,
            Mode = mode,
            Url = spec.Url,
            Description = spec.Description ?? "",
            EventTypes = Canonical(spec.EventTypes),
            Enabled = spec.Enabled ?? true,
            RetryScheduleSeconds = spec.RetryScheduleSeconds?.ToList(),
            SecretCiphertext = secrets.Encrypt(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(endpoint);
        var entry = Audit(endpoint, actor, AuditActions.EndpointCreated);
        entry.Changes.AddRange(Describe(null, endpoint));
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(endpoint, secret, null);
    }

    public async Task<EndpointResult> UpdateAsync(string orgId, Mode mode, string id, EndpointSpec spec, AuditActor actor, CancellationToken ct)
    {
        if (await CheckAsync(spec, ct) is { } refusal) return new(null, null, refusal);
        var endpoint = await FindLockedAsync(orgId, mode, id, ct);
        if (endpoint is null) return new(null, null, await MissingAsync(session, orgId, mode, id, ct));

        var before = Snapshot(endpoint);
        if (spec.Url is not null) endpoint.Url = spec.Url;
        if (spec.Description is not null) endpoint.Description = spec.Description;
        if (spec.EventTypes is not null) endpoint.EventTypes = Canonical(spec.EventTypes);
        if (spec.RetryScheduleSeconds is not null) endpoint.RetryScheduleSeconds = spec.RetryScheduleSeconds.ToList();
        if (spec.ClearRetrySchedule) endpoint.RetryScheduleSeconds = null;
        if (spec.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            // Turning an endpoint back on gives it a clean slate.
            endpoint.DisabledReason = null;
            endpoint.ConsecutiveDeadLetters = 0;
        }
        var changes = Describe(before, endpoint).ToList();
        if (changes.Count == 0) return new(endpoint, null, null);

        endpoint.UpdatedAt = clock.GetUtcNow();
        session.Store(endpoint);
        var entry = Audit(endpoint, actor, AuditActions.EndpointUpdated);
        entry.Changes.AddRange(changes);
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(endpoint, null, null);
    }

    /// <summary>
    /// Deletes an endpoint. Its delivery history stays readable; deliveries still pending are
    /// dead-lettered by the worker when they come due, without a request.
    /// </summary>
    public async Task<EndpointResult> DeleteAsync(string orgId, Mode mode, string id, AuditActor actor, CancellationToken ct)
    {
        var endpoint = await FindLockedAsync(orgId, mode, id, ct);
        if (endpoint is null) return new(null, null, await MissingAsync(session, orgId, mode, id, ct));
        endpoint.Deleted = true;
        endpoint.Enabled = false;
        endpoint.UpdatedAt = clock.GetUtcNow();
        session.Store(endpoint);
        session.Store(Audit(endpoint, actor, AuditActions.EndpointDeleted));
        await session.SaveChangesAsync(ct);
        return new(endpoint, null, null);
    }

    /// <summary>
    /// Issues a new secret. The old one keeps signing beside it for <paramref name="grace"/>
    /// (0 to 7 days), so receivers can switch without missing a message.
    /// </summary>
    public async Task<EndpointResult> RotateSecretAsync(string orgId, Mode mode, string id, TimeSpan grace, AuditActor actor, CancellationToken ct)
    {
        if (grace < TimeSpan.Zero || grace > MaxGrace)
            return EndpointResult.Refused(Refusal.ParameterInvalid, "The grace period must be between 0 and 604800 seconds (7 days).", "grace_period_seconds");
        var endpoint = await FindLockedAsync(orgId, mode, id, ct);
        if (endpoint is null) return new(null, null, await MissingAsync(session, orgId, mode, id, ct));

        var now = clock.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        endpoint.PreviousSecretCiphertext = grace > TimeSpan.Zero ? endpoint.SecretCiphertext : null;
        endpoint.PreviousSecretExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
        endpoint.SecretCiphertext = secrets.Encrypt(secret);
        endpoint.UpdatedAt = now;
        session.Store(endpoint);
        var entry = Audit(endpoint, actor, AuditActions.EndpointSecretRotated);
        entry.Changes.Add(new("previous_secret_expires_at", null, Timestamps.Format(endpoint.PreviousSecretExpiresAt ?? now)));
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(endpoint, secret, null);
    }

    /// <summary>Shows the current secret again, and records who looked.</summary>
    public async Task<EndpointResult> RevealSecretAsync(string orgId, Mode mode, string id, AuditActor actor, CancellationToken ct)
    {
        var endpoint = await FindAsync(orgId, mode, id, ct);
        if (endpoint is null) return new(null, null, await MissingAsync(session, orgId, mode, id, ct));
        session.Store(Audit(endpoint, actor, AuditActions.EndpointSecretRevealed));
        await session.SaveChangesAsync(ct);
        return new(endpoint, secrets.Decrypt(endpoint.SecretCiphertext), null);
    }

    /// <summary>The org's endpoint in <paramref name="mode"/>, or null (also for another org's or a deleted one).</summary>
    public async Task<WebhookEndpoint?> FindAsync(string orgId, Mode mode, string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix)) return null;
        var endpoint = await session.LoadAsync<WebhookEndpoint>(id, ct);
        return endpoint is not null && endpoint.OrgId == orgId && endpoint.Mode == mode && !endpoint.Deleted ? endpoint : null;
    }

    /// <summary>
    /// <see cref="FindAsync"/> with the endpoint's row locked until the change commits. The worker
    /// changes endpoints with row-level SQL (the dead-letter count, disabling one); those updates
    /// wait meanwhile and apply on top, and this change starts from theirs, so neither is lost.
    /// </summary>
    private async Task<WebhookEndpoint?> FindLockedAsync(string orgId, Mode mode, string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix)) return null;
        await session.LockRowAsync<WebhookEndpoint>(id, ct);
        return await FindAsync(orgId, mode, id, ct);
    }

    /// <summary>The rules for what an endpoint may be, shared by create and update.</summary>
    public async Task<Refusal?> CheckAsync(EndpointSpec spec, CancellationToken ct)
    {
        if (spec.Url is not null && await guard.CheckUrlAsync(spec.Url, ct) is { } url)
            return new Refusal(url.Code, url.Message, "url");
        if (spec.Description is { Length: > WebhookEndpoint.MaxDescriptionLength })
            return new Refusal(Refusal.ParameterInvalid, $"The description is longer than {WebhookEndpoint.MaxDescriptionLength} characters.", "description");
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

    public const string EventTypeUnknown = "event_type_unknown";

    /// <summary>Empty (or containing "*") means every type; otherwise distinct, in the order given.</summary>
    private static List<string> Canonical(IReadOnlyList<string>? types) =>
        types is null || types.Contains("*") ? [] : types.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The 404 for an endpoint id <paramref name="orgId"/> cannot use in <paramref name="mode"/>: with the mode
    /// hint when the org has it, not deleted, in the other mode; a malformed id is answered without a query.
    /// </summary>
    public static async Task<Refusal> MissingAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct, string param = "id") =>
        Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix)
            ? await NotFound.RefusalAsync<WebhookEndpoint>(session, orgId, mode, id, ct, param, e => !e.Deleted)
            : NotFound.Refusal<WebhookEndpoint>(id, param);

    private Task LockOrgAsync(string orgId, Mode mode, CancellationToken ct) => session.LockNameAsync($"endpoints:{orgId}:{mode}", ct);

    private AuditEntry Audit(WebhookEndpoint endpoint, AuditActor actor, string action) =>
        AuditEntry.For(endpoint.OrgId, endpoint.Mode, actor, action, "webhook_endpoint", endpoint.Id, endpoint.Url, clock);

    private sealed record Fields(string Url, string Description, string Events, bool Enabled, string? Schedule);

    private static Fields Snapshot(WebhookEndpoint e) =>
        new(e.Url, e.Description, e.EventTypes.Count == 0 ? "*" : string.Join(",", e.EventTypes), e.Enabled,
            e.RetryScheduleSeconds is null ? null : string.Join(",", e.RetryScheduleSeconds));

    private static IEnumerable<AuditChange> Describe(Fields? before, WebhookEndpoint endpoint)
    {
        var after = Snapshot(endpoint);
        if (before?.Url != after.Url) yield return new("url", before?.Url, after.Url);
        if (before?.Description != after.Description && (before is not null || after.Description.Length > 0)) yield return new("description", before?.Description, after.Description);
        if (before?.Events != after.Events) yield return new("enabled_events", before?.Events, after.Events);
        if (before?.Enabled != after.Enabled) yield return new("enabled", before?.Enabled.ToString().ToLowerInvariant(), after.Enabled.ToString().ToLowerInvariant());
        if (before is not null ? before.Schedule != after.Schedule : after.Schedule is not null) yield return new("retry_schedule", before?.Schedule, after.Schedule);
    }
}
