using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.EventTypes.List;

/// <remarks>
/// Needs <c>read:events</c> like the events themselves: the catalog is no secret, but every API
/// route names one scope, and a key that cannot read events has no use for their types.
/// </remarks>
public sealed class Endpoint : EndpointWithoutRequest<Response>
{
    private static readonly Response Catalog = new() { Data = EventCatalog.All.Select(EventTypeObject.From).ToList() };

    public override void Configure()
    {
        Get("/event-types");
        Scopes(KeyScopes.ReadEvents);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List event types";
            s.Description = "The catalog of event types Nexus emits, each with a description and an example payload. "
                + "Besides these, `POST /api/v1/events` accepts any `custom.*` type, and endpoints can subscribe to those too.";
            s.ResponseExamples[200] = new Response { Data = [Catalog.Data[0]] };
        });
        Description(b => b.WithTags(WebhookApi.EventsTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(Catalog, ct);
}
