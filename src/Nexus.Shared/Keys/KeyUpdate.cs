using Nexus.Shared.Accounts;
using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

/// <summary>Settings that can change on an existing key; null leaves a setting as it is.</summary>
public sealed record KeyUpdate(string? Name = null, IReadOnlyList<string>? Scopes = null, IReadOnlyList<string>? AllowedIps = null,
    int? RateLimitPerMinute = null, bool ClearRateLimit = false)
{
    /// <summary>
    /// Checks each given setting with <see cref="KeySpecRules"/> and sets it on <paramref name="key"/> in
    /// canonical form, stopping at the first refusal (the caller then stores nothing).
    /// </summary>
    public Refusal? ApplyTo(ApiKey key, PlanLimits plan)
    {
        if (Name is not null)
        {
            if (KeySpecRules.CheckName(Name) is { } p) return p;
            key.Name = Name.Trim();
        }
        if (Scopes is not null)
        {
            var scopes = Scopes.Distinct(StringComparer.Ordinal).ToList();
            if (KeySpecRules.CheckScopes(scopes, key.Kind) is { } p) return p;
            key.Scopes = scopes;
        }
        if (AllowedIps is not null)
        {
            if (KeySpecRules.CheckAllowedIps(AllowedIps, out var ips) is { } p) return p;
            key.AllowedIps = ips;
        }
        if (ClearRateLimit) key.RateLimitPerMinute = null;
        else if (RateLimitPerMinute is not null)
        {
            if (KeySpecRules.CheckRateLimit(RateLimitPerMinute, plan) is { } p) return p;
            key.RateLimitPerMinute = RateLimitPerMinute;
        }
        return null;
    }
}
