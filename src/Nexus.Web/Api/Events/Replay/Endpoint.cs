using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookDeliveries;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Events.Replay;

public sealed class Endpoint(DeliveryActions actions) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/events/{id}/replay");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Replay an event";
            s.Description = "Sends the event again as new deliveries (trigger `replay`), with the same `webhook-id` and the same bytes: "
                + "to one endpoint (`endpoint_id`), or to every enabled endpoint subscribed to its type. The body is optional.";
            s.ExampleRequest = new Request { EndpointId = "we_01jd4n6x9m3f8r2k7q5w0y1z3a" };
            s.ResponseExamples[200] = new Response { Data = [DeliveryObject.Example] };
        });
        PreProcessor<OptionalJsonBody<Request>>();
        Description(b => OptionalJsonBody<Request>.Document(b.WithTags(WebhookApi.EventsTag).ClearDefaultAccepts()).Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403)
            .Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEvent>(req.Id, WebhookEvent.IdPrefix);
        var caller = HttpContext.Caller();
        var result = await actions.ReplayAsync(caller.OrgId, caller.Mode, req.Id, req.EndpointId, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);
        await Send.OkAsync(new Response { Data = result.Deliveries.Select(DeliveryObject.From).ToList() }, ct);
    }
}
