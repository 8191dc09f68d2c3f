using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Revoke;

public sealed class Endpoint(KeyManager keys, ApiKeyCache cache, TimeProvider clock) : Endpoint<Request, KeyObject>
{
    public override void Configure()
    {
        Post("/keys/{id}/revoke");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        PreProcessor<OptionalJsonBody<Request>>();
        Summary(s =>
        {
            s.Summary = "Revoke an API key";
            s.Description = "Stops the key at once, on every web node; it cannot be restored. Revoking a revoked key is 409 `key_already_revoked`. "
                + "A key may revoke itself. Takes no body.";
            s.ResponseExamples[200] = KeyObject.MakeExample(KeyObject.Example.Id, KeyObject.Example.Prefix, "revoked");
        });
        Description(b => b.WithTags(KeyApi.Tag).ClearDefaultAccepts().Produces<KeyObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        KeyApi.RequireWellFormed(req.Id);
        var caller = HttpContext.Caller();
        var key = (await keys.RevokeAsync(caller.OrgId, caller.Mode, req.Id, HttpContext.Actor(), ct)).KeyOrThrow();
        // After the save: evicting first would let a concurrent request cache the still-active key again.
        cache.Evict(key.KeyHash);
        await Send.OkAsync(KeyObject.From(key, clock.GetUtcNow()), ct);
    }
}
