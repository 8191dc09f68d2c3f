using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.List;

public sealed class Endpoint(IQuerySession session, TimeProvider clock) : Endpoint<Request, Response>
{
    public const int PageDefault = 10;

    public override void Configure()
    {
        Get("/webhook-endpoints");
        Scopes(KeyScopes.ReadWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List webhook endpoints";
            s.Description = "Endpoints of the caller's org and mode, newest first (a test key lists test-mode endpoints only); deleted ones are not listed. "
                + "Cursor pagination: pass `next_cursor` as `starting_after`. Never includes a secret.";
            s.ResponseExamples[200] = new Response { Data = [EndpointObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = req.Limit ?? PageDefault;
        var query = session.Query<WebhookEndpoint>().Where(e => e.OrgId == caller.OrgId && e.Mode == caller.Mode && !e.Deleted);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(e => string.Compare(e.Id, cursor) < 0);
        if (ApiQuery.TryParseTime(req.CreatedGte, out var from)) query = query.Where(e => e.CreatedAt >= from);
        if (ApiQuery.TryParseTime(req.CreatedLt, out var to)) query = query.Where(e => e.CreatedAt < to);

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, e => e.Id, limit, ct);
        var now = clock.GetUtcNow();
        await Send.OkAsync(new Response
        {
            Data = page.Select(e => EndpointObject.From(e, now)).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
