using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookDeliveries.List;

public sealed class Endpoint(IQuerySession session, DeliveryModeColumn modes) : Endpoint<Request, Response>
{
    public const int PageDefault = 20;

    public override void Configure()
    {
        Get("/webhook-deliveries");
        Scopes(KeyScopes.ReadWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List webhook deliveries";
            s.Description = "The delivery log of the caller's org and mode, newest first; filters combine. "
                + "Cursor pagination: pass `next_cursor` as `starting_after`. Retrieve a delivery to see its attempts.";
            s.ResponseExamples[200] = new Response { Data = [DeliveryObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(WebhookApi.DeliveriesTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = req.Limit ?? PageDefault;
        var query = await modes.InModeAsync(session.Query<WebhookDelivery>(), caller.OrgId, caller.Mode, ct);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(d => string.Compare(d.Id, cursor) < 0);
        if (req.EndpointId is { } endpointId) query = query.Where(d => d.EndpointId == endpointId);
        if (req.EventId is { } eventId) query = query.Where(d => d.EventId == eventId);
        if (req.EventType is { } type) query = query.Where(d => d.EventType == type);
        if (DeliveryObject.TryParseStatus(req.Status, out var status)) query = query.Where(d => d.Status == status);
        if (ApiQuery.TryParseTime(req.CreatedGte, out var from)) query = query.Where(d => d.CreatedAt >= from);
        if (ApiQuery.TryParseTime(req.CreatedLt, out var to)) query = query.Where(d => d.CreatedAt < to);

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, d => d.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(DeliveryObject.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
