using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Get;

public sealed class Endpoint(IQuerySession session, TimeProvider clock) : Endpoint<Request, KeyObject>
{
    public override void Configure()
    {
        Get("/keys/{id}");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve an API key";
            s.Description = "The key's settings and status, never its secret. Another org's key is 404 like a key that does not exist; for a key of the other mode, the 404's message says it is there.";
            s.ResponseExamples[200] = KeyObject.Example;
        });
        Description(b => b.WithTags(KeyApi.Tag).ClearDefaultAccepts().Produces<KeyObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var key = await ApiObjects.LoadAsync<ApiKey>(session, HttpContext.Caller(), req.Id, KeyApi.IdPrefix, ct);
        await Send.OkAsync(KeyObject.From(key, clock.GetUtcNow()), ct);
    }
}
