using Nexus.Shared.Common;
using System.Text.Json;
using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api.Events.Create;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, EventObject>
{
    public override void Configure()
    {
        Post("/events");
        Scopes(KeyScopes.WriteEvents);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Create an event";
            s.Description = "Records an event in the caller's org and mode and queues it, in the same transaction, for every enabled endpoint "
                + "subscribed to its type. Endpoints receive `{\"id\",\"type\",\"created_at\",\"mode\",\"data\"}`, signed. "
                + "An unknown type is 400 `event_type_unknown`; a payload over 64 KB is 413 `event_payload_too_large`.";
            s.ExampleRequest = new Request
            {
                Type = "custom.invoice.paid",
                Data = JsonDocument.Parse("""{"invoice_id":"inv_1042","amount":4200,"currency":"eur"}""").RootElement.Clone(),
            };
            s.ResponseExamples[201] = EventObject.Example;
        });
        Description(b => b.WithTags(WebhookApi.EventsTag).Produces<EventObject>(201)
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(413));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!EventCatalog.IsKnown(req.Type))
            throw new ApiException(ErrorCatalog.EventTypeUnknown,
                $"'{Echo.Clip(req.Type!)}' is not an event type. Use one from GET /api/v1/event-types or a custom.* name such as custom.invoice.paid.", "type");
        var caller = HttpContext.Caller();
        // Compact and re-encoded once, so the bytes every endpoint receives do not depend on how the client formatted them.
        var data = JsonSerializer.Serialize(req.Data, NexusJson.Options);
        WebhookEvent evt;
        try
        {
            evt = await EventOutbox.PublishAsync(session, caller.OrgId, caller.Mode, req.Type!, data, HttpContext.TraceIdentifier, clock, ct);
        }
        catch (PayloadTooLargeException e)
        {
            throw new ApiException(ErrorCatalog.EventPayloadTooLarge, e.Message, "data");
        }
        await session.SaveChangesAsync(ct);
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = evt.Id }, EventObject.From(evt), verb: FastEndpoints.Http.GET, cancellation: ct);
    }
}
