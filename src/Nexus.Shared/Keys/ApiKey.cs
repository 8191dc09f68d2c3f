using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

public sealed class ApiKey
{
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public string Name { get; set; } = "";
    public KeyKind Kind { get; set; }
    public Mode Mode { get; set; }

    /// <summary>HMAC of the full key; the plaintext is never stored.</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>The first characters of the key (e.g. <c>nx_test_a1B2c3</c>), safe to show.</summary>
    public string Prefix { get; set; } = "";

    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}
