using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>The signing secret's lifecycle: a new one with the old one's grace period, and showing the current one again.</summary>
public sealed partial class EndpointManager
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);

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
        var entry = EndpointAudit.Entry(endpoint, actor, AuditActions.EndpointSecretRotated, clock);
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
        session.Store(EndpointAudit.Entry(endpoint, actor, AuditActions.EndpointSecretRevealed, clock));
        await session.SaveChangesAsync(ct);
        return new(endpoint, secrets.Decrypt(endpoint.SecretCiphertext), null);
    }
}
