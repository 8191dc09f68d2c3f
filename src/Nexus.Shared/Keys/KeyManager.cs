using System.Text.Json;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Keys;

/// <summary>The outcome of a key operation: the key (and, after create or roll, the plaintext shown once) or why it was refused.</summary>
public sealed record KeyResult(ApiKey? Key, string? Plaintext, Refusal? Problem, ApiKey? Previous = null)
{
    public static KeyResult Refused(Refusal problem) => new(null, null, problem);
    public static KeyResult Refused(string code, string message, string? param = null) => new(null, null, new Refusal(code, message, param));
}

/// <summary>Settings that can change on an existing key; null leaves a setting as it is.</summary>
public sealed record KeyUpdate(string? Name = null, IReadOnlyList<string>? Scopes = null, IReadOnlyList<string>? AllowedIps = null,
    int? RateLimitPerMinute = null, bool ClearRateLimit = false);

/// <summary>
/// Every change to a key goes through here, from the API and the dashboard alike: the rules,
/// the 25-key limit, the audit entry and the cache-invalidation notice are written in the same
/// transaction as the change itself.
/// </summary>
public sealed class KeyManager(IDocumentSession session, KeyHasher hasher, TimeProvider clock)
{
    /// <summary>Creates a key in the org. The org row is locked for the count, so concurrent creates cannot pass 25 together.</summary>
    public async Task<KeyResult> CreateAsync(Organization org, KeySpec spec, AuditActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (KeySpecRules.Check(spec, org.Plan, now, out var canonical) is { } problem) return KeyResult.Refused(problem);

        await LockOrgAsync(org.Id, ct);
        var active = await CountActiveAsync(org.Id, now, ct);
        if (active >= KeyRules.MaxActiveKeysPerOrg)
            return KeyResult.Refused(Refusal.KeyLimitReached,
                $"This organization already has {KeyRules.MaxActiveKeysPerOrg} active keys, the most it may have. Revoke one you no longer use first.");

        var (key, plaintext) = KeyIssuer.Issue(hasher, clock, org.Id, canonical, actor.Id);
        session.Store(key);
        var entry = Audit(key, actor, AuditActions.KeyCreated);
        entry.Changes.AddRange(Describe(key));
        session.Store(entry);
        await EmitAsync(EventCatalog.KeyCreated, key, new
        {
            Object = "api_key", key.Id, key.Name, key.Prefix, Kind = key.Kind == KeyKind.Publishable ? "publishable" : "secret", key.Scopes,
        }, actor, ct);
        await session.SaveChangesAsync(ct);
        return new KeyResult(key, plaintext, null);
    }

    /// <summary>
    /// Issues a successor with the same settings; the old key keeps working for <paramref name="grace"/>
    /// and then stops (a grace of zero stops it now).
    /// </summary>
    public async Task<KeyResult> RollAsync(string orgId, Mode? mode, string keyId, TimeSpan grace, AuditActor actor, CancellationToken ct)
    {
        if (KeySpecRules.CheckGrace(grace) is { } problem) return KeyResult.Refused(problem);
        var now = clock.GetUtcNow();

        await LockOrgAsync(orgId, ct);
        var old = await FindAsync(orgId, mode, keyId, ct);
        if (old is null) return await MissingAsync(orgId, mode, keyId, ct);
        if (old.RevokedAt is not null) return KeyResult.Refused(Refusal.KeyNotActive, $"The key {keyId} is revoked; a revoked key cannot be rolled. Create a new key instead.");
        if (old.RolledToKeyId is not null) return KeyResult.Refused(Refusal.KeyNotActive, $"The key {keyId} was already rolled to {old.RolledToKeyId}. Roll that key instead.");
        if (!old.WorksAt(now)) return KeyResult.Refused(Refusal.KeyNotActive, $"The key {keyId} has expired; an expired key cannot be rolled. Create a new key instead.");

        // The successor keeps the configuration; an expiry already passed by then is dropped rather than copied into the past.
        var spec = KeySpec.Of(old);
        var (successor, plaintext) = KeyIssuer.Issue(hasher, clock, orgId, spec, actor.Id);
        successor.RolledFromKeyId = old.Id;

        var before = old.GraceEndsAt;
        old.RolledToKeyId = successor.Id;
        old.GraceEndsAt = now + grace;
        // Patches, here and below, so the usage recorder's concurrent counters are not overwritten.
        session.Patch<ApiKey>(old.Id).Set(k => k.RolledToKeyId, old.RolledToKeyId);
        session.Patch<ApiKey>(old.Id).Set(k => k.GraceEndsAt, old.GraceEndsAt);
        session.Store(successor);
        KeyChanges.QueueNotify(session, old);

        var entry = Audit(old, actor, AuditActions.KeyRolled);
        entry.Changes.Add(new("rolled_to", null, successor.Id));
        entry.Changes.Add(new("grace_ends_at", Timestamps.Format(before), Timestamps.Format(old.GraceEndsAt)));
        session.Store(entry);
        await EmitAsync(EventCatalog.KeyRolled, old, new { Object = "api_key", old.Id, RolledTo = successor.Id, GraceEndsAt = Timestamps.Format(old.GraceEndsAt) }, actor, ct);
        await session.SaveChangesAsync(ct);
        return new KeyResult(successor, plaintext, null, old);
    }

    public async Task<KeyResult> RevokeAsync(string orgId, Mode? mode, string keyId, AuditActor actor, CancellationToken ct)
    {
        await LockOrgAsync(orgId, ct);
        var key = await FindAsync(orgId, mode, keyId, ct);
        if (key is null) return await MissingAsync(orgId, mode, keyId, ct);
        if (key.RevokedAt is not null)
            return KeyResult.Refused(Refusal.KeyAlreadyRevoked, $"The key {keyId} was already revoked at {Timestamps.Format(key.RevokedAt)}.");

        var now = clock.GetUtcNow();
        var before = key.StatusAt(now);
        key.RevokedAt = now;
        session.Patch<ApiKey>(key.Id).Set(k => k.RevokedAt, key.RevokedAt);
        KeyChanges.QueueNotify(session, key);
        var entry = Audit(key, actor, AuditActions.KeyRevoked);
        entry.Changes.Add(new("status", before.ToWire(), KeyStatus.Revoked.ToWire()));
        session.Store(entry);
        await EmitAsync(EventCatalog.KeyRevoked, key, new { Object = "api_key", key.Id, key.Name, key.Prefix, RevokedAt = Timestamps.Format(key.RevokedAt) }, actor, ct);
        await session.SaveChangesAsync(ct);
        return new KeyResult(key, null, null);
    }

    public async Task<KeyResult> UpdateAsync(Organization org, Mode? mode, string keyId, KeyUpdate update, AuditActor actor, CancellationToken ct)
    {
        await LockOrgAsync(org.Id, ct);
        var key = await FindAsync(org.Id, mode, keyId, ct);
        if (key is null) return await MissingAsync(org.Id, mode, keyId, ct);
        if (key.RevokedAt is not null)
            return KeyResult.Refused(Refusal.KeyNotActive, $"The key {keyId} is revoked; its settings can no longer change.");

        var before = Describe(key).ToDictionary(c => c.Field, c => c.After);
        if (update.Name is not null)
        {
            if (KeySpecRules.CheckName(update.Name) is { } p) return KeyResult.Refused(p);
            key.Name = update.Name.Trim();
        }
        if (update.Scopes is not null)
        {
            var scopes = update.Scopes.Distinct(StringComparer.Ordinal).ToList();
            if (KeySpecRules.CheckScopes(scopes, key.Kind) is { } p) return KeyResult.Refused(p);
            key.Scopes = scopes;
        }
        if (update.AllowedIps is not null)
        {
            if (KeySpecRules.CheckAllowedIps(update.AllowedIps, out var ips) is { } p) return KeyResult.Refused(p);
            key.AllowedIps = ips;
        }
        if (update.ClearRateLimit) key.RateLimitPerMinute = null;
        else if (update.RateLimitPerMinute is not null)
        {
            if (KeySpecRules.CheckRateLimit(update.RateLimitPerMinute, org.Plan) is { } p) return KeyResult.Refused(p);
            key.RateLimitPerMinute = update.RateLimitPerMinute;
        }

        var changes = Describe(key).Where(c => before[c.Field] != c.After)
            .Select(c => c with { Before = before[c.Field] }).ToList();
        if (changes.Count == 0) return new KeyResult(key, null, null);

        session.Patch<ApiKey>(key.Id).Set(k => k.Name, key.Name);
        session.Patch<ApiKey>(key.Id).Set(k => k.Scopes, key.Scopes);
        session.Patch<ApiKey>(key.Id).Set(k => k.AllowedIps, key.AllowedIps);
        session.Patch<ApiKey>(key.Id).Set(k => k.RateLimitPerMinute, key.RateLimitPerMinute);
        KeyChanges.QueueNotify(session, key);
        var entry = Audit(key, actor, AuditActions.KeyUpdated);
        entry.Changes.AddRange(changes);
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new KeyResult(key, null, null);
    }

    /// <summary>A key of this org (and mode, when given); anything else looks exactly like a key that does not exist.</summary>
    public async Task<ApiKey?> FindAsync(string orgId, Mode? mode, string keyId, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(keyId, ct);
        return key is not null && key.OrgId == orgId && (mode is null || key.Mode == mode) ? key : null;
    }

    private async Task<int> CountActiveAsync(string orgId, DateTimeOffset now, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().Where(k => k.OrgId == orgId && k.RevokedAt == null).ToListAsync(ct);
        // A key in its roll grace is on its way out: its successor is the one that counts.
        return keys.Count(k => k.WorksAt(now) && k.RolledToKeyId is null);
    }

    /// <summary>Serializes key changes per org (transaction-scoped advisory lock, released on commit or rollback).</summary>
    private Task LockOrgAsync(string orgId, CancellationToken ct) => session.LockNameAsync("keys:" + orgId, ct);

    /// <summary>
    /// Adds the key event to the session (the outbox), so it commits with the change or not at all.
    /// The data describes the key, never the key itself.
    /// </summary>
    private Task EmitAsync(string type, ApiKey key, object data, AuditActor actor, CancellationToken ct) =>
        EventOutbox.PublishAsync(session, key.OrgId, key.Mode, type, JsonSerializer.Serialize(data, EventJson), actor.RequestId, clock, ct);

    private static readonly JsonSerializerOptions EventJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private AuditEntry Audit(ApiKey key, AuditActor actor, string action) =>
        AuditEntry.For(key.OrgId, key.Mode, actor, action, "api_key", key.Id, $"{key.Name} ({key.Prefix}…)", clock);

    /// <summary>404, with the mode hint when the org has the key in the other mode (only for a caller bound to one mode).</summary>
    private async Task<KeyResult> MissingAsync(string orgId, Mode? mode, string keyId, CancellationToken ct) =>
        KeyResult.Refused(await NotFound.RefusalAsync<ApiKey>(session, orgId, mode, keyId, ct));

    /// <summary>The audited settings of a key, as (field, null, value) triples.</summary>
    private static IEnumerable<AuditChange> Describe(ApiKey key) =>
    [
        new("name", null, key.Name),
        new("kind", null, key.Kind == KeyKind.Publishable ? "publishable" : "secret"),
        new("scopes", null, string.Join(" ", key.Scopes)),
        new("allowed_ips", null, key.AllowedIps.Count == 0 ? null : string.Join(" ", key.AllowedIps)),
        new("rate_limit_per_minute", null, key.RateLimitPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("expires_at", null, Timestamps.Format(key.ExpiresAt)),
    ];

}
