using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Events.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public const int PageDefault = 20;

    public override void Configure()
    {
        Get("/events");
        Scopes(KeyScopes.ReadEvents);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List events";
            s.Description = "Events of the caller's org and mode, newest first, with their `data`. "
                + "Cursor pagination: pass `next_cursor` as `starting_after`. "
                + "A deployment that sets an event retention deletes older events, with their deliveries, once none of those is pending.";
            s.ResponseExamples[200] = new Response { Data = [EventObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(WebhookApi.EventsTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = req.Limit ?? PageDefault;
        var query = session.Query<WebhookEvent>().Where(e => e.OrgId == caller.OrgId && e.Mode == caller.Mode);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(e => string.Compare(e.Id, cursor) < 0);
        if (req.Type is { } type) query = query.Where(e => e.Type == type);
        if (ApiQuery.TryParseTime(req.CreatedGte, out var from)) query = query.Where(e => e.CreatedAt >= from);
        if (ApiQuery.TryParseTime(req.CreatedLt, out var to)) query = query.Where(e => e.CreatedAt < to);

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, e => e.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(EventObject.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
