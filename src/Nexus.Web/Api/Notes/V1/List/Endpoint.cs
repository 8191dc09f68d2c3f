using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Marten.Linq;
using Nexus.Shared.Notes;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V1.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/notes");
        Scopes(KeyScopes.ReadNotes);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List notes";
            s.Description = "Notes of the key's org and mode, newest first, with offset pagination.";
        });
        Description(b => b.WithTags(ApiTags.Notes).WithMetadata(Infrastructure.Versioning.Deprecation.NotesV1).ClearDefaultAccepts().Produces<Response>().Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = Math.Min(req.Limit ?? NoteLimits.PageDefault, NoteLimits.PageMax);
        var offset = req.Offset ?? 0;
        var notes = await session.Query<Note>()
            .Stats(out QueryStatistics stats)
            .Where(n => n.OrgId == caller.OrgId && n.Mode == caller.Mode)
            .OrderByDescending(n => n.Id)
            .Skip(offset)
            .Take(limit)
            .ToListAsync(ct);
        await Send.OkAsync(new Response
        {
            Data = notes.Select(NoteV1.From).ToList(),
            Total = (int)stats.TotalResults,
            Limit = limit,
            Offset = offset,
        }, ct);
    }
}
