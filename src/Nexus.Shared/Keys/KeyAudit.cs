using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

/// <summary>What a key's audit entries record: the entry itself, and the key's audited settings (never its secret or hash).</summary>
internal static class KeyAudit
{
    public static AuditEntry Entry(ApiKey key, AuditActor actor, string action, TimeProvider clock) =>
        AuditEntry.For(key.OrgId, key.Mode, actor, action, "api_key", key.Id, $"{key.Name} ({key.Prefix}…)", clock);

    /// <summary>The audited settings of a key, as (field, null, value) triples.</summary>
    public static IEnumerable<AuditChange> Describe(ApiKey key) =>
    [
        new("name", null, key.Name),
        new("kind", null, key.Kind == KeyKind.Publishable ? "publishable" : "secret"),
        new("scopes", null, string.Join(" ", key.Scopes)),
        new("allowed_ips", null, key.AllowedIps.Count == 0 ? null : string.Join(" ", key.AllowedIps)),
        new("rate_limit_per_minute", null, key.RateLimitPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("expires_at", null, Timestamps.Format(key.ExpiresAt)),
    ];
}
