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

/// <summary>A key just issued: the stored document and the plaintext, which is shown once and never stored.</summary>
public sealed record IssuedKey(ApiKey Key, string Plaintext);

public static class KeyIssuer
{
    /// <summary>
    /// The one way keys are made (dashboard, API, tests): fresh CSPRNG key, only its hash and
    /// display prefix kept on the document.
    /// </summary>
    public static IssuedKey Issue(KeyHasher hasher, TimeProvider clock, string orgId, string name, KeyKind kind, Mode mode, string createdByUserId)
    {
        var plaintext = KeyFormat.Generate(kind, mode);
        KeyFormat.TryParse(plaintext, out var parsed);
        var key = new ApiKey
        {
            Id = Ids.New("key", clock),
            OrgId = orgId,
            Name = name,
            Kind = kind,
            Mode = mode,
            KeyHash = hasher.Hash(plaintext),
            Prefix = parsed.Prefix,
            CreatedByUserId = createdByUserId,
            CreatedAt = clock.GetUtcNow(),
        };
        return new IssuedKey(key, plaintext);
    }
}
