using System.Runtime.CompilerServices;
using System.Security.Claims;
using Nexus.Shared.Common;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// The identity an API key authenticates as: it carries the <see cref="ApiCaller"/> itself, so the
/// rate limiter, the log and the endpoints read the caller without parsing claims back, and a
/// principal from another scheme (a dashboard cookie sent along to /api) is never taken for one.
/// Its claims (what authorization policies read, such as FastEndpoints' <c>scope</c> check) are made
/// once per caller and shared by its requests: <see cref="Claim"/> is immutable, and building seven
/// claims twice over (ClaimsIdentity copies claims it did not create) was a third of what the API
/// pipeline allocated per request.
/// </summary>
public sealed class ApiCallerIdentity(ApiCaller caller, string authenticationType) : ClaimsIdentity(authenticationType)
{
    private static readonly ConditionalWeakTable<ApiCaller, Claim[]> SharedClaims = new();

    /// <summary>The scope claim's value split into scopes, per claim value (the shared claims keep one instance alive per caller).</summary>
    private static readonly ConditionalWeakTable<string, string[]> ParsedScopes = new();

    public ApiCaller Caller { get; } = caller;

    public override IEnumerable<Claim> Claims => SharedClaims.GetValue(Caller, static c =>
    [
        new Claim(ApiCaller.KeyLimitClaim, c.KeyRateLimitPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
        new Claim(ApiCaller.ScopeClaim, string.Join(' ', c.Scopes.Order(StringComparer.Ordinal))),
        new Claim(ApiCaller.OrgClaim, c.OrgId),
        new Claim(ApiCaller.KeyClaim, c.KeyId),
        new Claim(ApiCaller.PrefixClaim, c.KeyPrefix),
        new Claim(ApiCaller.ModeClaim, c.Mode.ToWire()),
        new Claim(ApiCaller.KindClaim, c.Kind.ToString()),
    ]);

    public override ClaimsIdentity Clone() => new ApiCallerIdentity(Caller, AuthenticationType!);

    /// <summary>
    /// FastEndpoints' <c>SecurityOptions.ScopeParser</c>: splits a scope claim's value (space-separated,
    /// OAuth style) once per value instead of on every request's authorization.
    /// </summary>
    public static IEnumerable<string> ParseScopes(string value) =>
        ParsedScopes.GetValue(value, static v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
