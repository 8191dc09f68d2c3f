using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Store;

namespace Nexus.Shared.Keys;

/// <summary>The outcome of a key operation: the key (and, after create or roll, the plaintext shown once) or why it was refused.</summary>
public sealed record KeyResult(ApiKey? Key, string? Plaintext, Refusal? Problem, ApiKey? Previous = null)
{
    public static KeyResult Refused(Refusal problem) => new(null, null, problem);
    public static KeyResult Refused(string code, string message, string? param = null) => new(null, null, new Refusal(code, message, param));
}

/// <summary>
/// Every change to a key goes through here, from the API and the dashboard alike: the rules,
/// the 25-key limit, the audit entry and the cache-invalidation notice are written in the same
/// transaction as the change itself. What the audit entries and webhook events say is
/// <see cref="KeyAudit"/>'s and <see cref="KeyEvents"/>'s; rolling a key is in KeyManager.Roll.cs.
/// </summary>
public sealed partial class KeyManager(IDocumentSession session, KeyHasher hasher, PlanCatalog plans, TimeProvider clock)
{
    /// <summary>Creates a key in the org. The org row is locked for the count, so concurrent creates cannot pass 25 together.</summary>
    public async Task<KeyResult> CreateAsync(Organization org, KeySpec spec, AuditActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (KeySpecRules.Check(spec, plans.For(org.Plan), now, out var canonical) is { } problem) return KeyResult.Refused(problem);

        await LockOrgAsync(org.Id, ct);
        var active = await CountActiveAsync(org.Id, now, ct);
        if (active >= KeyRules.MaxActiveKeysPerOrg)
            return KeyResult.Refused(Refusal.KeyLimitReached,
                $"This organization already has {KeyRules.MaxActiveKeysPerOrg} active keys, the most it may have. Revoke one you no longer use first.");

        var (key, plaintext) = KeyIssuer.Issue(hasher, clock, org.Id, canonical, actor.Id);
        session.Store(key);
        var entry = KeyAudit.Entry(key, actor, AuditActions.KeyCreated, clock);
        entry.Changes.AddRange(KeyAudit.Describe(key));
        session.Store(entry);
        await KeyEvents.CreatedAsync(session, key, actor, clock, ct);
        await session.SaveChangesAsync(ct);
        return new KeyResult(key, plaintext, null);
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
        // Patches, here and in update and roll, so the usage recorder's concurrent counters are not overwritten.
        session.Patch<ApiKey>(key.Id).Set(k => k.RevokedAt, key.RevokedAt);
        KeyChanges.QueueNotify(session, key);
        var entry = KeyAudit.Entry(key, actor, AuditActions.KeyRevoked, clock);
        entry.Changes.Add(new("status", before.ToWire(), KeyStatus.Revoked.ToWire()));
        session.Store(entry);
        await KeyEvents.RevokedAsync(session, key, actor, clock, ct);
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

        var before = KeyAudit.Describe(key).ToDictionary(c => c.Field, c => c.After);
        if (update.ApplyTo(key, plans.For(org.Plan)) is { } problem) return KeyResult.Refused(problem);
        var changes = KeyAudit.Describe(key).Where(c => before[c.Field] != c.After)
            .Select(c => c with { Before = before[c.Field] }).ToList();
        if (changes.Count == 0) return new KeyResult(key, null, null);

        session.Patch<ApiKey>(key.Id).Set(k => k.Name, key.Name);
        session.Patch<ApiKey>(key.Id).Set(k => k.Scopes, key.Scopes);
        session.Patch<ApiKey>(key.Id).Set(k => k.AllowedIps, key.AllowedIps);
        session.Patch<ApiKey>(key.Id).Set(k => k.RateLimitPerMinute, key.RateLimitPerMinute);
        KeyChanges.QueueNotify(session, key);
        var entry = KeyAudit.Entry(key, actor, AuditActions.KeyUpdated, clock);
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

    /// <summary>404, with the mode hint when the org has the key in the other mode (only for a caller bound to one mode).</summary>
    private async Task<KeyResult> MissingAsync(string orgId, Mode? mode, string keyId, CancellationToken ct) =>
        KeyResult.Refused(await NotFound.RefusalAsync<ApiKey>(session, orgId, mode, keyId, ct));
}
