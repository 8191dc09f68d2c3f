using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.Get;

public sealed class Endpoint(EndpointManager endpoints, IQuerySession session, TimeProvider clock) : Endpoint<Request, EndpointObject>
{
    public override void Configure()
    {
        Get("/webhook-endpoints/{id}");
        Scopes(KeyScopes.ReadWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a webhook endpoint";
            s.Description = "The endpoint's settings and status, never its secret. Another org's endpoint, one of the other mode, or a deleted one is 404; for one of the other mode, the message says it is there.";
            s.ResponseExamples[200] = EndpointObject.Example;
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).ClearDefaultAccepts().Produces<EndpointObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var endpoint = await endpoints.FindAsync(caller.OrgId, caller.Mode, req.Id, ct)
            ?? throw WebhookApi.Error(await EndpointManager.MissingAsync(session, caller.OrgId, caller.Mode, req.Id, ct));
        await Send.OkAsync(EndpointObject.From(endpoint, clock.GetUtcNow()), ct);
    }
}
