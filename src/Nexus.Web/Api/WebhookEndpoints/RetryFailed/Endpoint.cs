using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookDeliveries;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.RetryFailed;

public sealed class Endpoint(DeliveryActions actions) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/webhook-endpoints/{id}/retry-failed");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retry an endpoint's failed deliveries";
            s.Description = "Makes every dead-lettered delivery to the endpoint queued since `since` due again, for one more attempt each "
                + "(same `webhook-id`, same bytes); at most 1000 per call. The endpoint must be enabled (409 `endpoint_disabled`).";
            s.ExampleRequest = new Request { Since = "2026-11-22T00:00:00Z" };
            s.ResponseExamples[200] = new Response { Data = [DeliveryObject.Example], HasMore = false };
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403)
            .Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEndpoint>(req.Id, WebhookEndpoint.IdPrefix);
        ApiQuery.TryParseTime(req.Since, out var since);
        var caller = HttpContext.Caller();
        var result = await actions.RetryFailedAsync(caller.OrgId, caller.Mode, req.Id, since, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);
        await Send.OkAsync(new Response
        {
            Data = result.Deliveries.Select(DeliveryObject.From).ToList(),
            HasMore = result.Deliveries.Count >= DeliveryActions.MaxBulkRetry,
        }, ct);
    }
}
