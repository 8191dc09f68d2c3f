using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Resolves <c>Authorization: Bearer nx_…</c> to an org, key and mode, and applies every rule
/// that belongs to the key itself: revoked, expired (or past a roll's grace), IP allowlist, and
/// the failed-authentication limit per client IP. All of it runs before any rate-limit budget is
/// spent. The format and checksum are checked before any lookup, so garbage never reaches the database.
/// </summary>
/// <remarks>No message here ever contains the presented key: at most its display prefix.</remarks>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyHasher hasher,
    ApiKeyCache keys,
    KeyUsageRecorder usage,
    FailedAuthLimiter failures,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "nx:auth-failure";

    /// <summary>Where an issued key that was refused is left, for the request log (<see cref="RefusedKeyOf"/>).</summary>
    private const string RefusedKeyItem = "nx:refused-key";

    /// <summary>The key this request presented when it was refused although Nexus issued it (revoked, expired, outside its allowlist), else null.</summary>
    public static ApiKey? RefusedKeyOf(HttpContext ctx) => ctx.Items[RefusedKeyItem] as ApiKey;

    private sealed record Failure(ErrorCode Code, string Message, TimeSpan? RetryAfter = null);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Two headers would read as "Bearer a,Bearer b": one key that fails its checksum, a misleading answer.
        if (Request.Headers.Authorization.Count > 1)
            return Fail(ErrorCatalog.ApiKeyWrongHeader, $"Send one Authorization header; this request has {Request.Headers.Authorization.Count}.");
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
            return LooksLikeKeyElsewhere()
                ? Fail(ErrorCatalog.ApiKeyWrongHeader, "Send the API key as 'Authorization: Bearer <key>'; keys in other headers or the query string are ignored.")
                : Fail(ErrorCatalog.ApiKeyMissing, "No API key provided. Send it as 'Authorization: Bearer <key>'.");

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Fail(ErrorCatalog.ApiKeyWrongHeader, "Use the Bearer scheme: 'Authorization: Bearer <key>'.");

        // A blocked IP is refused whatever key it presents, a correct one too: otherwise a guesser
        // could keep guessing and recognise a hit by its different answer.
        var client = FailedAuthLimiter.ClientOf(Context.Connection.RemoteIpAddress);
        if (client is not null && failures.IsBlocked(client, out var wait))
            return TooManyFailures(wait);

        var presented = authorization.AsSpan("Bearer ".Length).Trim();
        // Not counted as a failed attempt: a key that fails its checksum can never match any key,
        // so it cannot help a guesser, and refusing it costs no query (counting it would cost one).
        if (!KeyFormat.TryParse(presented, out var parsed))
            return Fail(ErrorCatalog.ApiKeyInvalid, "Invalid API key provided. Keys look like nx_test_… or nx_live_…; check it was copied whole.");

        var key = await keys.FindByHashAsync(hasher.Hash(presented), Context.RequestAborted);
        var now = clock.GetUtcNow();
        var refused = key switch
        {
            null => new Failure(ErrorCatalog.ApiKeyInvalid, $"Invalid API key provided: {parsed.Prefix}…"),
            { RevokedAt: not null } => new Failure(ErrorCatalog.ApiKeyRevoked, $"The API key {key.Prefix}… has been revoked."),
            { EndsAt: { } end } when end <= now => new Failure(ErrorCatalog.KeyExpired, ExpiredMessage(key, end)),
            _ => null,
        };
        var ip = Context.Connection.RemoteIpAddress;
        if (refused is null && !IpAllowlist.Allows(key!.AllowedIps, ip))
            refused = new Failure(ErrorCatalog.IpNotAllowed, ip is null
                ? $"The API key {key.Prefix}… only accepts requests from its allowed IP ranges, and this request's address is unknown."
                : $"The API key {key.Prefix}… does not accept requests from {(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)}; it only accepts its allowed IP ranges.");
        if (refused is not null)
        {
            // A key Nexus issued, refused (revoked, expired, or used from outside its allowlist): the org
            // sees the attempt in its request logs, as support needs to.
            if (key is not null) Context.Items[RefusedKeyItem] = key;
            // Only lookups count (unknown, revoked, expired keys, and keys used from outside their
            // allowlist): each could be a guess or a leaked key, and each is logged for its org.
            // Without a client address (the in-memory test server only) there is nothing to count under.
            if (client is not null && await failures.AddFailureAsync(client, Context.RequestAborted) is (true, var retryAfter))
                return TooManyFailures(retryAfter);
            return Fail(refused);
        }

        // Not null here: an unknown key is refused above.
        usage.Touch(key!.Id);
        var caller = Callers.GetValue(key, static k => new ApiCaller(k.OrgId, k.Id, k.Prefix, k.Mode, k.Kind)
        {
            Scopes = KeyScopes.Effective(k.Scopes, k.Kind),
            KeyRateLimitPerMinute = k.RateLimitPerMinute,
        });
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ApiCallerIdentity(caller, SchemeName)), SchemeName));
    }

    // The caller a key resolves to, worked out once per loaded key (the key cache hands out the
    // same instance until the key changes, and a changed key is a new instance) instead of per request.
    private static readonly ConditionalWeakTable<ApiKey, ApiCaller> Callers = new();

    private static string ExpiredMessage(ApiKey key, DateTimeOffset end)
    {
        var at = Timestamps.Format(end);
        return key.GraceEndsAt == end && key.RolledToKeyId is not null
            ? $"The API key {key.Prefix}… was rolled and its grace period ended at {at}. Use the key that replaced it."
            : $"The API key {key.Prefix}… expired at {at}.";
    }

    private AuthenticateResult TooManyFailures(TimeSpan retryAfter) => Fail(new Failure(ErrorCatalog.RateLimited,
        $"Too many failed authentication attempts from this IP address (the failed-authentication limit is {failures.Limit} per minute). " +
        $"Every request from it is refused until the minute ends, in {Seconds(retryAfter)} seconds.", retryAfter));

    private static int Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds));

    private bool LooksLikeKeyElsewhere() =>
        Request.Headers.ContainsKey("X-Api-Key")
        || Request.Query.ContainsKey("api_key")
        || Request.Query.ContainsKey("key");

    private AuthenticateResult Fail(ErrorCode code, string message) => Fail(new Failure(code, message));

    private AuthenticateResult Fail(Failure failure)
    {
        Context.Items[FailureItem] = failure;
        return AuthenticateResult.Fail(failure.Code.Code);
    }

    /// <summary>Every refusal above ends here (a 401, or the 403/429 of an allowlist or the failure limit), with the error object.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as Failure
            ?? new Failure(ErrorCatalog.ApiKeyMissing, "No API key provided. Send it as 'Authorization: Bearer <key>'.");
        if (failure.Code.Status == StatusCodes.Status401Unauthorized)
            Response.Headers.WWWAuthenticate = "Bearer realm=\"nexus\"";
        if (failure.RetryAfter is { } retryAfter)
            Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return ApiErrors.WriteAsync(Context, failure.Code, failure.Message);
    }

    /// <summary>Only scopes forbid an authenticated key (routes declare theirs with <c>Scopes(...)</c>): name the one needed.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.AllowedScopes?.FirstOrDefault();
        var caller = (Context.User.Identity as ApiCallerIdentity)?.Caller;
        var message = (needed, caller) switch
        {
            (null, _) => null,
            ({ } scope, { Kind: KeyKind.Publishable }) when !KeyScopes.IsRead(scope) =>
                $"{KeyScopes.PublishableRule}; this route needs the '{scope}' scope, which only a secret key can hold.",
            ({ } scope, { } c) => $"This API key lacks the '{scope}' scope that this route needs. Its scopes: {(c.Scopes.Count == 0 ? "none" : string.Join(", ", c.Scopes.Order()))}.",
            ({ } scope, null) => $"This route needs the '{scope}' scope.",
        };
        return ApiErrors.WriteAsync(Context, ErrorCatalog.PermissionDenied, message);
    }
}
