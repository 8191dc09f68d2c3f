using Nexus.Shared.Accounts;
using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

/// <summary>Everything a key is configured with; a roll copies it to the new key.</summary>
public sealed record KeySpec(string Name, KeyKind Kind, Mode Mode)
{
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public IReadOnlyList<string> AllowedIps { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public int? RateLimitPerMinute { get; init; }

    public static KeySpec Of(ApiKey key) => new(key.Name, key.Kind, key.Mode)
    {
        Scopes = key.Scopes,
        AllowedIps = key.AllowedIps,
        ExpiresAt = key.ExpiresAt,
        RateLimitPerMinute = key.RateLimitPerMinute,
    };
}

/// <summary>
/// The rules a key's settings must follow, shared by the API and the dashboard so both refuse
/// the same things with the same words. Parameter names are the API's.
/// </summary>
public static class KeySpecRules
{
    public static Refusal? CheckName(string? name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) return new(Refusal.ParameterMissing, "Give the key a name, like \"Production server\".", "name");
        if (trimmed.Length > KeyRules.MaxNameLength) return new(Refusal.ParameterInvalid, $"Use at most {KeyRules.MaxNameLength} characters for the name.", "name");
        if (!OneLine.Allows(trimmed)) return new(Refusal.ParameterInvalid, OneLine.Problem("name"), "name");
        return null;
    }

    /// <summary>Unknown names are refused; a publishable key may hold only read scopes.</summary>
    public static Refusal? CheckScopes(IReadOnlyList<string> scopes, KeyKind kind)
    {
        if (scopes.Count == 0) return new(Refusal.ParameterInvalid, "Give the key at least one scope.", "scopes");
        foreach (var scope in scopes)
        {
            if (!KeyScopes.IsKnown(scope))
                return new(Refusal.ParameterInvalid, $"Unknown scope '{Shorten(scope)}'. Known scopes: {string.Join(", ", KeyScopes.All.Select(s => s.Name))}.", "scopes");
            if (kind == KeyKind.Publishable && !KeyScopes.IsRead(scope))
                return new(Refusal.ParameterInvalid, $"{KeyScopes.PublishableRule}, not '{scope}'. Use a secret key for it.", "scopes");
        }
        return null;
    }

    public static Refusal? CheckExpiry(DateTimeOffset? expiresAt, DateTimeOffset now) =>
        expiresAt is { } at && at <= now
            ? new(Refusal.ParameterInvalid, "The expiry must be in the future.", "expires_at")
            : null;

    public static Refusal? CheckRateLimit(int? perMinute, PlanLimits plan)
    {
        if (perMinute is not { } limit) return null;
        var planLimit = plan.PerMinute;
        if (limit < 1 || limit > planLimit)
            return new(Refusal.ParameterInvalid, $"The per-minute limit must be between 1 and your plan's {planLimit}.", "rate_limit_per_minute");
        return null;
    }

    public static Refusal? CheckAllowedIps(IEnumerable<string>? entries, out List<string> canonical) =>
        IpAllowlist.TryParse(entries, out canonical, out var error)
            ? null
            : new(Refusal.ParameterInvalid, error!, "allowed_ips");

    public static Refusal? CheckGrace(TimeSpan grace) =>
        grace < TimeSpan.Zero || grace > KeyRules.MaxRollGrace
            ? new(Refusal.ParameterInvalid, "The grace period must be between 0 and 7 days (0 to 10080 minutes).", "grace_period_minutes")
            : null;

    /// <summary>Checks a whole spec for a new key; returns the spec in canonical form (trimmed name, canonical CIDRs, de-duplicated scopes).</summary>
    public static Refusal? Check(KeySpec spec, PlanLimits plan, DateTimeOffset now, out KeySpec canonical)
    {
        canonical = spec;
        var scopes = spec.Scopes.Distinct(StringComparer.Ordinal).ToList();
        var problem = CheckName(spec.Name)
            ?? CheckScopes(scopes, spec.Kind)
            ?? CheckExpiry(spec.ExpiresAt, now)
            ?? CheckRateLimit(spec.RateLimitPerMinute, plan);
        if (problem is not null) return problem;
        problem = CheckAllowedIps(spec.AllowedIps, out var ips);
        if (problem is not null) return problem;
        canonical = spec with { Name = spec.Name.Trim(), Scopes = scopes, AllowedIps = ips };
        return null;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
