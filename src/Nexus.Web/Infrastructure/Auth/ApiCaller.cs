using Microsoft.AspNetCore.Authentication;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>Who is calling the API: the org, key and mode an API key resolved to.</summary>
public sealed record ApiCaller(string OrgId, string KeyId, string KeyPrefix, Mode Mode, KeyKind Kind)
{
    public const string OrgClaim = "nx:org";
    public const string KeyClaim = "nx:key";
    public const string ModeClaim = "nx:mode";
    public const string KindClaim = "nx:kind";
    public const string PrefixClaim = "nx:prefix";
    public const string KeyLimitClaim = "nx:key_limit";

    /// <summary>FastEndpoints' <c>Scopes(...)</c> reads this claim: the key's effective scopes, space-separated (OAuth style).</summary>
    public const string ScopeClaim = "scope";

    /// <summary>Every scope the key may use, implications applied (admin:all → all; write:x → read:x; publishable → reads only).</summary>
    public IReadOnlySet<string> Scopes { get; init; } = new HashSet<string>();

    /// <summary>The key's own per-minute limit, when it has one (lower than the plan's).</summary>
    public int? KeyRateLimitPerMinute { get; init; }
}

public static class ApiCallerExtensions
{
    /// <summary>Whether an API key authenticated this request (a dashboard cookie sent along to /api does not count).</summary>
    public static bool IsApiCaller(this HttpContext ctx) => ctx.User.Identity is ApiCallerIdentity;

    /// <summary>The caller an API key authenticated this request as; only for requests that <see cref="IsApiCaller"/>.</summary>
    public static ApiCaller Caller(this HttpContext ctx) =>
        (ctx.User.Identity as ApiCallerIdentity)?.Caller ?? throw new InvalidOperationException("Not an API caller.");

    /// <summary>
    /// For an API request refused before its endpoint's authentication ran (an unknown route, a body
    /// over the limit or not JSON, a malformed query): when it carries a valid key, makes that key
    /// the request's user, so its answer shows the key's rate limits and the org sees it in its
    /// request logs. Runs the API-key scheme (each request authenticates at most once, so a key
    /// already refused is not counted again). Never throws: a refusal must still be written when,
    /// say, the database is down.
    /// </summary>
    public static async Task IdentifyApiCallerAsync(this HttpContext ctx)
    {
        if (ctx.IsApiCaller() || ctx.Request.Headers.Authorization.Count == 0) return;
        try
        {
            var result = await ctx.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
            if (result.Succeeded) ctx.User = result.Principal;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
        }
    }
}
