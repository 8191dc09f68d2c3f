using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.Delete;

public sealed class Endpoint(EndpointManager endpoints) : Endpoint<Get.Request, Response>
{
    public override void Configure()
    {
        Delete("/webhook-endpoints/{id}");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Delete a webhook endpoint";
            s.Description = "Stops deliveries to the endpoint for good; deliveries still pending are dead-lettered. Its delivery history stays readable.";
            s.ResponseExamples[200] = new Response { Id = EndpointObject.Example.Id };
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEndpoint>(req.Id, WebhookEndpoint.IdPrefix);
        var caller = HttpContext.Caller();
        var result = await endpoints.DeleteAsync(caller.OrgId, caller.Mode, req.Id, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);
        await Send.OkAsync(new Response { Id = req.Id }, ct);
    }
}
