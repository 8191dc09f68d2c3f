using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Shared.Notes;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V2.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/notes");
        Scopes(KeyScopes.ReadNotes);
        Group<ApiV2Group>();
        Summary(s =>
        {
            s.Summary = "List notes";
            s.Description = "Notes of the key's org and mode, newest first. Cursor pagination: pass `next_cursor` as `starting_after`; stable while notes are added.";
            s.ResponseExamples[200] = new Response { Data = [NoteV2.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(ApiTags.Notes).ClearDefaultAccepts().Produces<Response>().Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = Math.Min(req.Limit ?? NoteLimits.PageDefault, NoteLimits.PageMax);
        var query = session.Query<Note>().Where(n => n.OrgId == caller.OrgId && n.Mode == caller.Mode);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(n => string.Compare(n.Id, cursor) < 0);
        if (req.Tag is { } tag) query = query.Where(n => n.Tags.Contains(tag));

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, n => n.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(NoteV2.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
