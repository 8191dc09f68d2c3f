using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Web.Api.Keys;

/// <summary>An API key as the API shows it. Never carries the key itself or its hash.</summary>
public class KeyObject
{
    /// <summary>Unique id, e.g. <c>key_01jd4n6x9m3f8r2k7q5w0y1z3a</c>. Ids sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>api_key</c>.</summary>
    public string Object { get; init; } = "api_key";

    /// <summary>A label for people, e.g. "Production server".</summary>
    public required string Name { get; init; }

    /// <summary><c>secret</c> (server-side, <c>nx_live_…</c>/<c>nx_test_…</c>) or <c>publishable</c> (read-only, <c>nx_pk_…</c>, safe in a browser).</summary>
    public required string Kind { get; init; }

    /// <summary><c>test</c> or <c>live</c>: the data the key sees. Always the mode of the key that manages it.</summary>
    public required string Mode { get; init; }

    /// <summary>The first characters of the key, e.g. <c>nx_test_a1B2c3</c>: enough to recognise it, useless to call with.</summary>
    public required string Prefix { get; init; }

    /// <summary>The scopes as granted, e.g. <c>["read:notes", "write:notes"]</c>. A write scope includes its read scope; <c>admin:all</c> includes every scope.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary><c>active</c>; <c>expiring</c> (stops within 7 days: an expiry date or a roll's grace period); <c>expired</c>; or <c>revoked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>CIDR ranges the key accepts requests from, e.g. <c>["203.0.113.0/24"]</c>; empty means any address.</summary>
    public required IReadOnlyList<string> AllowedIps { get; init; }

    /// <summary>The key's own limit on requests per minute, at most the plan's; null means the plan's limit.</summary>
    public required int? RateLimitPerMinute { get; init; }

    /// <summary>When the key stops working on its own (ISO 8601, UTC); null if it never expires.</summary>
    public required DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Set once the key was rolled: when it stops working and only its successor (<c>rolled_to</c>) does.</summary>
    public required DateTimeOffset? GraceEndsAt { get; init; }

    /// <summary>The id of the key that replaced this one in a roll; null if it was not rolled.</summary>
    public required string? RolledTo { get; init; }

    /// <summary>The id of the key this one replaced in a roll; null if it was created directly.</summary>
    public required string? RolledFrom { get; init; }

    /// <summary>When the key was created (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key last authenticated a request (updated every few seconds); null if never used.</summary>
    public required DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>How many requests the key has made.</summary>
    public required long TotalRequests { get; init; }

    /// <summary>When the key was revoked; null if it was not.</summary>
    public required DateTimeOffset? RevokedAt { get; init; }

    public KeyObject() { }

    /// <summary>Copies a key object, for the responses that add to it (the secret after create and roll).</summary>
    [SetsRequiredMembers]
    protected KeyObject(KeyObject o)
    {
        Id = o.Id; Name = o.Name; Kind = o.Kind; Mode = o.Mode; Prefix = o.Prefix; Scopes = o.Scopes; Status = o.Status;
        AllowedIps = o.AllowedIps; RateLimitPerMinute = o.RateLimitPerMinute; ExpiresAt = o.ExpiresAt; GraceEndsAt = o.GraceEndsAt;
        RolledTo = o.RolledTo; RolledFrom = o.RolledFrom; CreatedAt = o.CreatedAt; LastUsedAt = o.LastUsedAt;
        TotalRequests = o.TotalRequests; RevokedAt = o.RevokedAt;
    }

    /// <summary>The key as it stands at <paramref name="now"/> (its status depends on the time).</summary>
    public static KeyObject From(ApiKey k, DateTimeOffset now) => new()
    {
        Id = k.Id,
        Name = k.Name,
        Kind = KindName(k.Kind),
        Mode = k.Mode.ToWire(),
        Prefix = k.Prefix,
        Scopes = k.Scopes,
        Status = k.StatusAt(now).ToWire(),
        AllowedIps = k.AllowedIps,
        RateLimitPerMinute = k.RateLimitPerMinute,
        ExpiresAt = k.ExpiresAt,
        GraceEndsAt = k.GraceEndsAt,
        RolledTo = k.RolledToKeyId,
        RolledFrom = k.RolledFromKeyId,
        CreatedAt = k.CreatedAt,
        LastUsedAt = k.LastUsedAt,
        TotalRequests = k.TotalRequests,
        RevokedAt = k.RevokedAt,
    };

    public static string KindName(KeyKind kind) => kind == KeyKind.Publishable ? "publishable" : "secret";

    public static readonly KeyObject Example = MakeExample("key_01jd4n6x9m3f8r2k7q5w0y1z3a", "nx_live_a1B2c3");

    /// <summary>An example key for the API docs; roll examples vary the roll fields.</summary>
    public static KeyObject MakeExample(string id, string prefix, string status = "active", DateTimeOffset? graceEndsAt = null,
        string? rolledTo = null, string? rolledFrom = null) => new()
    {
        Id = id,
        Name = "Production server",
        Kind = "secret",
        Mode = "live",
        Prefix = prefix,
        Scopes = [KeyScopes.ReadNotes, KeyScopes.WriteNotes],
        Status = status,
        AllowedIps = ["203.0.113.0/24"],
        RateLimitPerMinute = 5,
        ExpiresAt = null,
        GraceEndsAt = graceEndsAt,
        RolledTo = rolledTo,
        RolledFrom = rolledFrom,
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        LastUsedAt = rolledFrom is null ? DateTimeOffset.Parse("2026-11-23T08:15:00Z", System.Globalization.CultureInfo.InvariantCulture) : null,
        TotalRequests = rolledFrom is null ? 1520 : 0,
        RevokedAt = status == "revoked" ? DateTimeOffset.Parse("2026-11-24T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture) : null,
    };
}

/// <summary>A key just made (by create or roll), with its secret: the only response that ever contains it.</summary>
public class KeyWithSecret : KeyObject
{
    public KeyWithSecret() { }

    [SetsRequiredMembers]
    public KeyWithSecret(KeyObject key, string secret) : base(key) => Secret = secret;

    /// <summary>The full key, e.g. <c>nx_live_…</c>. Shown only in this response and never again: store it in your secret manager now.</summary>
    [JsonPropertyOrder(1)]
    public required string Secret { get; init; }
}
