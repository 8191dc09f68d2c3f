using Marten;
using Nexus.Shared.Store;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>The outcome of an endpoint operation: the endpoint (and, after create or rotate, its secret) or why it was refused.</summary>
public sealed record EndpointResult(WebhookEndpoint? Endpoint, string? Secret, Refusal? Refusal)
{
    public static EndpointResult Refused(string code, string message, string? param = null) => new(null, null, new Refusal(code, message, param));
}

/// <summary>
/// Every change to a webhook endpoint goes through here, from the API and the dashboard alike:
/// the URL's SSRF check, the 20-per-org-and-mode limit (under an advisory lock so concurrent
/// creates cannot pass it together), secret encryption, and the audit entry, written in the same
/// transaction as the change. What an endpoint may be is <see cref="EndpointSpecRules"/>'s to say, what its
/// audit entries record <see cref="EndpointAudit"/>'s; its secret's rotation and reveal are in EndpointManager.Secrets.cs.
/// </summary>
public sealed partial class EndpointManager(IDocumentSession session, SecretBox secrets, SsrfGuard guard, TimeProvider clock)
{
    public const string EndpointLimitReached = "endpoint_limit_reached";

    public async Task<EndpointResult> CreateAsync(string orgId, Mode mode, EndpointSpec spec, AuditActor actor, CancellationToken ct)
    {
        if (spec.Url is null) return EndpointResult.Refused(Refusal.ParameterMissing, "A URL is required.", "url");
        if (await EndpointSpecRules.CheckAsync(spec, guard, ct) is { } refusal) return new(null, null, refusal);

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
            EventTypes = EndpointSpecRules.Canonical(spec.EventTypes),
            Enabled = spec.Enabled ?? true,
            RetryScheduleSeconds = spec.RetryScheduleSeconds?.ToList(),
            SecretCiphertext = secrets.Encrypt(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(endpoint);
        var entry = EndpointAudit.Entry(endpoint, actor, AuditActions.EndpointCreated, clock);
        entry.Changes.AddRange(EndpointAudit.Describe(null, endpoint));
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(endpoint, secret, null);
    }

    public async Task<EndpointResult> UpdateAsync(string orgId, Mode mode, string id, EndpointSpec spec, AuditActor actor, CancellationToken ct)
    {
        if (await EndpointSpecRules.CheckAsync(spec, guard, ct) is { } refusal) return new(null, null, refusal);
        var endpoint = await FindLockedAsync(orgId, mode, id, ct);
        if (endpoint is null) return new(null, null, await MissingAsync(session, orgId, mode, id, ct));

        var before = EndpointAudit.Snapshot(endpoint);
        if (spec.Url is not null) endpoint.Url = spec.Url;
        if (spec.Description is not null) endpoint.Description = spec.Description;
        if (spec.EventTypes is not null) endpoint.EventTypes = EndpointSpecRules.Canonical(spec.EventTypes);
        if (spec.RetryScheduleSeconds is not null) endpoint.RetryScheduleSeconds = spec.RetryScheduleSeconds.ToList();
        if (spec.ClearRetrySchedule) endpoint.RetryScheduleSeconds = null;
        if (spec.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            // Turning an endpoint back on gives it a clean slate.
            endpoint.DisabledReason = null;
            endpoint.ConsecutiveDeadLetters = 0;
        }
        var changes = EndpointAudit.Describe(before, endpoint).ToList();
        if (changes.Count == 0) return new(endpoint, null, null);

        endpoint.UpdatedAt = clock.GetUtcNow();
        session.Store(endpoint);
        var entry = EndpointAudit.Entry(endpoint, actor, AuditActions.EndpointUpdated, clock);
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
        session.Store(EndpointAudit.Entry(endpoint, actor, AuditActions.EndpointDeleted, clock));
        await session.SaveChangesAsync(ct);
        return new(endpoint, null, null);
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

    /// <summary>
    /// The 404 for an endpoint id <paramref name="orgId"/> cannot use in <paramref name="mode"/>: with the mode
    /// hint when the org has it, not deleted, in the other mode; a malformed id is answered without a query.
    /// </summary>
    public static async Task<Refusal> MissingAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct, string param = "id") =>
        Ids.IsWellFormed(id, WebhookEndpoint.IdPrefix)
            ? await NotFound.RefusalAsync<WebhookEndpoint>(session, orgId, mode, id, ct, param, e => !e.Deleted)
            : NotFound.Refusal<WebhookEndpoint>(id, param);

    private Task LockOrgAsync(string orgId, Mode mode, CancellationToken ct) => session.LockNameAsync($"endpoints:{orgId}:{mode}", ct);
}
