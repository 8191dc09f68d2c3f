using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Get;

public sealed class Endpoint(KeyManager keys, TimeProvider clock) : Endpoint<Request, KeyObject>
{
    public override void Configure()
    {
        Get("/keys/{id}");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve an API key";
            s.Description = "The key's settings and status, never its secret. Another org's key, or a key of the other mode, is 404 like a key that does not exist. Needs `admin:all`.";
            s.ResponseExamples[200] = KeyObject.Example;
        });
        Description(b => b.WithTags(KeyApi.Tag).ClearDefaultAccepts().Produces<KeyObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        KeyApi.RequireWellFormed(req.Id);
        var caller = HttpContext.Caller();
        var key = await keys.FindAsync(caller.OrgId, caller.Mode, req.Id, ct)
            ?? throw new ApiException(ErrorCatalog.ResourceMissing, $"No such API key: '{req.Id}'.", "id");
        await Send.OkAsync(KeyObject.From(key, clock.GetUtcNow()), ct);
    }
}
