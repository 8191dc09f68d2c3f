using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.List;

public sealed class Endpoint(IQuerySession session, TimeProvider clock) : Endpoint<Request, Response>
{
    public const int PageDefault = 10;

    public override void Configure()
    {
        Get("/keys");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List API keys";
            s.Description = "Keys of the caller's org and mode, newest first (a test key lists test keys only). "
                + "Cursor pagination: pass `next_cursor` as `starting_after`. Never includes a key's secret.";
            s.ResponseExamples[200] = new Response { Data = [KeyObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(KeyApi.Tag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var now = clock.GetUtcNow();
        var limit = req.Limit ?? PageDefault;
        var query = session.Query<ApiKey>().Where(k => k.OrgId == caller.OrgId && k.Mode == caller.Mode);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(k => string.Compare(k.Id, cursor) < 0);
        if (req.Status is { } name && KeyStatusNames.TryParse(name, out var status)) query = query.Where(KeyStatusFilter.For(status, now));

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, k => k.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(k => KeyObject.From(k, now)).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
