using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V1.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, NoteV1>
{
    public override void Configure()
    {
        Get("/notes/{id}");
        Scopes(KeyScopes.ReadNotes);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a note";
            s.Description = "Another org's note is 404 like a note that does not exist; for a note of the other mode, the 404's message says it is there.";
        });
        Description(b => b.WithTags(ApiTags.Notes).WithMetadata(Infrastructure.Versioning.Deprecation.NotesV1).ClearDefaultAccepts().Produces<NoteV1>().Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct) =>
        await Send.OkAsync(NoteV1.From(await NoteLookup.LoadAsync(session, HttpContext.Caller(), req.Id, ct)), ct);
}
