using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

public sealed class ApiKey : IModeScoped
{
    public static string Noun => "API key";

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public string Name { get; set; } = "";
    public KeyKind Kind { get; set; }
    public Mode Mode { get; set; }

    /// <summary>HMAC of the full key; the plaintext is never stored.</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>The first characters of the key (e.g. <c>nx_test_a1B2c3</c>), safe to show.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Scope names as granted (see <see cref="Scopes"/>); implications are applied when checking.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Canonical CIDR ranges; empty means any address.</summary>
    public List<string> AllowedIps { get; set; } = [];

    /// <summary>The key's own per-minute limit, at most the plan's; null means the plan's.</summary>
    public int? RateLimitPerMinute { get; set; }

    /// <summary>Who made it: a user id (dashboard) or a key id (API).</summary>
    public string CreatedByUserId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public long TotalRequests { get; set; }

    /// <summary>Set on a key that was rolled: its successor, and when this key stops working.</summary>
    public string? RolledToKeyId { get; set; }
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>Set on the successor of a rolled key.</summary>
    public string? RolledFromKeyId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key stops working on its own: its expiry or the end of a roll's grace, whichever is first.</summary>
    public DateTimeOffset? EndsAt => (ExpiresAt, GraceEndsAt) switch
    {
        (null, var g) => g,
        (var e, null) => e,
        (var e, var g) => e < g ? e : g,
    };

    public KeyStatus StatusAt(DateTimeOffset now)
    {
        if (RevokedAt is not null) return KeyStatus.Revoked;
        if (EndsAt is { } end)
        {
            if (end <= now) return KeyStatus.Expired;
            if (end - now <= KeyRules.ExpiringWindow) return KeyStatus.Expiring;
        }
        return KeyStatus.Active;
    }

    /// <summary>Accepts requests at this moment (not revoked, not past its end).</summary>
    public bool WorksAt(DateTimeOffset now) => StatusAt(now) is KeyStatus.Active or KeyStatus.Expiring;
}

/// <summary>A key just issued: the stored document and the plaintext, which is shown once and never stored.</summary>
public sealed record IssuedKey(ApiKey Key, string Plaintext);

public static class KeyIssuer
{
    /// <summary>
    /// The one way keys are made (dashboard, API, roll, tests): fresh CSPRNG key, only its hash
    /// and display prefix kept on the document. The spec is assumed valid (<see cref="KeySpecRules"/>).
    /// </summary>
    public static IssuedKey Issue(KeyHasher hasher, TimeProvider clock, string orgId, KeySpec spec, string createdBy)
    {
        var plaintext = KeyFormat.Generate(spec.Kind, spec.Mode);
        KeyFormat.TryParse(plaintext, out var parsed);
        var key = new ApiKey
        {
            Id = Ids.New("key", clock),
            OrgId = orgId,
            Name = spec.Name,
            Kind = spec.Kind,
            Mode = spec.Mode,
            KeyHash = hasher.Hash(plaintext),
            Prefix = parsed.Prefix,
            Scopes = [.. spec.Scopes],
            AllowedIps = [.. spec.AllowedIps],
            RateLimitPerMinute = spec.RateLimitPerMinute,
            ExpiresAt = spec.ExpiresAt,
            CreatedByUserId = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        return new IssuedKey(key, plaintext);
    }

    /// <summary>A key with the default scopes of its kind and no other settings.</summary>
    public static IssuedKey Issue(KeyHasher hasher, TimeProvider clock, string orgId, string name, KeyKind kind, Mode mode, string createdBy) =>
        Issue(hasher, clock, orgId, new KeySpec(name, kind, mode) { Scopes = KeyScopes.DefaultFor(kind) }, createdBy);
}
