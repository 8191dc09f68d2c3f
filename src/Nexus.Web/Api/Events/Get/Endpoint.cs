using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Events.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, EventDetail>
{
    public override void Configure()
    {
        Get("/events/{id}");
        Scopes(KeyScopes.ReadEvents);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve an event";
            s.Description = "The event with its `data`, and how many of its deliveries are pending, succeeded and failed.";
            s.ResponseExamples[200] = EventDetail.Example;
        });
        Description(b => b.WithTags(WebhookApi.EventsTag).ClearDefaultAccepts().Produces<EventDetail>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var evt = await EventApi.LoadAsync(session, caller.OrgId, caller.Mode, req.Id, ct);
        var statuses = await session.Query<WebhookDelivery>().Where(d => d.EventId == evt.Id).Select(d => d.Status).ToListAsync(ct);
        var counts = new DeliveryCounts
        {
            Pending = statuses.Count(s => s == DeliveryStatus.Pending),
            Succeeded = statuses.Count(s => s == DeliveryStatus.Succeeded),
            Failed = statuses.Count(s => s == DeliveryStatus.Failed),
        };
        await Send.OkAsync(new EventDetail(EventObject.From(evt), counts), ct);
    }
}
