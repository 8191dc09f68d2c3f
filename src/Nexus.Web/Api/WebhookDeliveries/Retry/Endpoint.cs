using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookDeliveries.Retry;

public sealed class Endpoint(DeliveryActions actions) : Endpoint<Request, DeliveryObject>
{
    public override void Configure()
    {
        Post("/webhook-deliveries/{id}/retry");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        PreProcessor<OptionalJsonBody<Request>>();
        Summary(s =>
        {
            s.Summary = "Retry a webhook delivery";
            s.Description = "Makes the delivery due now for one more attempt, with the same `webhook-id` and the same bytes; if it fails, "
                + "the delivery is dead-lettered again rather than starting the retry schedule over. A pending delivery is simply brought forward. "
                + "409 `delivery_in_progress` while a worker is attempting it, 409 `endpoint_disabled` when its endpoint is disabled, 409 `endpoint_deleted` when its endpoint was deleted. Takes no body.";
            s.ResponseExamples[200] = DeliveryObject.Example;
        });
        Description(b => b.WithTags(WebhookApi.DeliveriesTag).ClearDefaultAccepts().Produces<DeliveryObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookDelivery>(req.Id, WebhookDelivery.IdPrefix);
        var caller = HttpContext.Caller();
        var result = await actions.RetryAsync(caller.OrgId, caller.Mode, req.Id, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);
        await Send.OkAsync(DeliveryObject.From(result.Deliveries[0]), ct);
    }
}
