using Marten.Patching;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

/// <summary>Rolling a key: a successor with the same settings, and a grace period for the key it replaces.</summary>
public sealed partial class KeyManager
{
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
        // Patches, not a store of the old key, so the usage recorder's concurrent counters are not overwritten.
        session.Patch<ApiKey>(old.Id).Set(k => k.RolledToKeyId, old.RolledToKeyId);
        session.Patch<ApiKey>(old.Id).Set(k => k.GraceEndsAt, old.GraceEndsAt);
        session.Store(successor);
        KeyChanges.QueueNotify(session, old);

        var entry = KeyAudit.Entry(old, actor, AuditActions.KeyRolled, clock);
        entry.Changes.Add(new("rolled_to", null, successor.Id));
        entry.Changes.Add(new("grace_ends_at", Timestamps.Format(before), Timestamps.Format(old.GraceEndsAt)));
        session.Store(entry);
        await KeyEvents.RolledAsync(session, old, successor, actor, clock, ct);
        await session.SaveChangesAsync(ct);
        return new KeyResult(successor, plaintext, null, old);
    }
}
