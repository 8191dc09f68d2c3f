using System.Text.Encodings.Web;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Resolves <c>Authorization: Bearer nx_…</c> to an org, key and mode. The format and checksum
/// are checked before any lookup, so garbage never reaches the database.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyHasher hasher,
    ApiKeyCache keys,
    KeyUsageRecorder usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "nx:auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
            return LooksLikeKeyElsewhere()
                ? Fail(ErrorCatalog.ApiKeyWrongHeader, "Send the API key as 'Authorization: Bearer <key>'; keys in other headers or the query string are ignored.")
                : Fail(ErrorCatalog.ApiKeyMissing, "No API key provided. Send it as 'Authorization: Bearer <key>'.");

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Fail(ErrorCatalog.ApiKeyWrongHeader, "Use the Bearer scheme: 'Authorization: Bearer <key>'.");

        var presented = authorization["Bearer ".Length..].Trim();
        if (!KeyFormat.TryParse(presented, out var parsed))
            return Fail(ErrorCatalog.ApiKeyInvalid, "Invalid API key provided. Keys look like nx_test_… or nx_live_…; check it was copied whole.");

        var key = await keys.FindByHashAsync(hasher.Hash(presented), Context.RequestAborted);
        if (key is null)
            return Fail(ErrorCatalog.ApiKeyInvalid, $"Invalid API key provided: {parsed.Prefix}…");
        if (key.RevokedAt is not null)
            return Fail(ErrorCatalog.ApiKeyRevoked, $"The API key {key.Prefix}… has been revoked.");

        usage.Touch(key.Id);
        var caller = new ApiCaller(key.OrgId, key.Id, key.Prefix, key.Mode, key.Kind)
        {
            Scopes = KeyScopes.Effective(key.Scopes, key.Kind),
        };
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    private bool LooksLikeKeyElsewhere() =>
        Request.Headers.ContainsKey("X-Api-Key")
        || Request.Query.ContainsKey("api_key")
        || Request.Query.ContainsKey("key");

    private AuthenticateResult Fail(ErrorCode code, string message)
    {
        Context.Items[FailureItem] = (code, message);
        return AuthenticateResult.Fail(code.Code);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (code, message) = Context.Items[FailureItem] as (ErrorCode, string)?
            ?? (ErrorCatalog.ApiKeyMissing, "No API key provided. Send it as 'Authorization: Bearer <key>'.");
        Response.Headers.WWWAuthenticate = "Bearer realm=\"nexus\"";
        return ApiErrors.WriteAsync(Context, code, message);
    }

    /// <summary>Only scopes forbid an authenticated key (routes declare theirs with <c>Scopes(...)</c>): name the one needed.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.AllowedScopes?.FirstOrDefault();
        var caller = Context.User.Identity?.IsAuthenticated == true ? ApiCaller.From(Context.User) : null;
        var message = (needed, caller) switch
        {
            (null, _) => null,
            ({ } scope, { Kind: KeyKind.Publishable }) when !KeyScopes.IsRead(scope) =>
                $"Publishable keys are read-only; this request needs the '{scope}' scope, which only a secret key can hold.",
            ({ } scope, { } c) => $"This API key lacks the '{scope}' scope that this route needs. Its scopes: {(c.Scopes.Count == 0 ? "none" : string.Join(", ", c.Scopes.Order()))}.",
            ({ } scope, null) => $"This route needs the '{scope}' scope.",
        };
        return ApiErrors.WriteAsync(Context, ErrorCatalog.PermissionDenied, message);
    }
}
