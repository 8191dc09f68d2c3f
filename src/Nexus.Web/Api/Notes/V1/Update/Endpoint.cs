using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V1.Update;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, NoteV1>
{
    public override void Configure()
    {
        Put("/notes/{id}");
        Scopes(KeyScopes.WriteNotes);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Replace a note";
            s.ExampleRequest = new Request { Title = "Call Alice", Body = "Invoice sorted." };
        });
        Description(b => b.WithTags(ApiTags.Notes).WithMetadata(Infrastructure.Versioning.Deprecation.NotesV1).Produces<NoteV1>().Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var note = await NoteLookup.LoadAsync(session, HttpContext.Caller(), req.Id, ct);
        var before = NoteEvents.Snapshot(note);
        note.Title = req.Title!;
        note.Body = req.Body!;
        note.UpdatedAt = clock.GetUtcNow();
        session.Store(note);
        await NoteEvents.PublishUpdateAsync(session, clock, note, before, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(NoteV1.From(note), ct);
    }
}
