using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
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

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
    [
        new Claim(KeyLimitClaim, KeyRateLimitPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
        new Claim(ScopeClaim, string.Join(' ', Scopes)),
        new Claim(OrgClaim, OrgId),
        new Claim(KeyClaim, KeyId),
        new Claim(PrefixClaim, KeyPrefix),
        new Claim(ModeClaim, Mode.ToWire()),
        new Claim(KindClaim, Kind.ToString()),
    ], scheme));

    public static ApiCaller From(ClaimsPrincipal user)
    {
        ModeNames.TryParse(user.FindFirstValue(ModeClaim), out var mode);
        return new ApiCaller(
            user.FindFirstValue(OrgClaim) ?? throw new InvalidOperationException("Not an API caller."),
            user.FindFirstValue(KeyClaim) ?? "",
            user.FindFirstValue(PrefixClaim) ?? "",
            mode,
            Enum.Parse<KeyKind>(user.FindFirstValue(KindClaim) ?? nameof(KeyKind.Secret)))
        {
            Scopes = (user.FindFirstValue(ScopeClaim) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            KeyRateLimitPerMinute = int.TryParse(user.FindFirstValue(KeyLimitClaim), System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : null,
        };
    }
}

public static class ApiCallerExtensions
{
    private const string CallerItem = "nx:caller";

    /// <summary>
    /// The caller, parsed from the claims at most once per request (the log, the rate limiter and
    /// the endpoint all ask). Keyed by the identity the claims came in, which survives the
    /// authorization step wrapping it in a new principal; any other identity is read afresh.
    /// </summary>
    public static ApiCaller Caller(this HttpContext ctx)
    {
        if (ctx.Items[CallerItem] is (ClaimsIdentity identity, ApiCaller caller) && ReferenceEquals(identity, ctx.User.Identity)) return caller;
        var parsed = ApiCaller.From(ctx.User);
        ctx.Items[CallerItem] = (ctx.User.Identity, parsed);
        return parsed;
    }

    /// <summary>Authentication already has the caller the principal describes: no need to parse it back.</summary>
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
        if (ctx.User.HasClaim(c => c.Type == ApiCaller.OrgClaim) || ctx.Request.Headers.Authorization.Count == 0) return;
        try
        {
            var result = await ctx.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
            if (result.Succeeded) ctx.User = result.Principal;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
        }
    }

    internal static void RememberCaller(this HttpContext ctx, ClaimsPrincipal principal, ApiCaller caller) =>
        ctx.Items[CallerItem] = (principal.Identity, caller);
}
