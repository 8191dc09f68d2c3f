using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.Secret;

public sealed class Endpoint(EndpointManager endpoints) : Endpoint<Get.Request, Response>
{
    public override void Configure()
    {
        Get("/webhook-endpoints/{id}/secret");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Reveal a webhook endpoint's secret";
            s.Description = "Shows the current signing secret again. Every reveal is recorded in the audit log with the key that asked. "
                + "Only `admin:all` keys may do this; `write:webhooks` can rotate the secret instead.";
            s.ResponseExamples[200] = new Response { EndpointId = EndpointObject.Example.Id, Secret = EndpointWithSecret.Example.Secret };
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEndpoint>(req.Id, WebhookEndpoint.IdPrefix);
        var caller = HttpContext.Caller();
        var result = await endpoints.RevealSecretAsync(caller.OrgId, caller.Mode, req.Id, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);

        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new Response { EndpointId = req.Id, Secret = result.Secret! }, ct);
    }
}
