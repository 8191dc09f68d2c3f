using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookDeliveries.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, DeliveryDetail>
{
    public override void Configure()
    {
        Get("/webhook-deliveries/{id}");
        Scopes(KeyScopes.ReadWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a webhook delivery";
            s.Description = "The delivery with every attempt: when, how long, the status code, the error, and the response's headers and body (at most 20 KB kept).";
            s.ResponseExamples[200] = DeliveryDetail.Example;
        });
        Description(b => b.WithTags(WebhookApi.DeliveriesTag).ClearDefaultAccepts().Produces<DeliveryDetail>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var delivery = await ApiObjects.LoadAsync<WebhookDelivery>(session, HttpContext.Caller(), req.Id, WebhookDelivery.IdPrefix, ct);
        await Send.OkAsync(DeliveryDetail.From(delivery), ct);
    }
}
