using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V1.Delete;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Get.Request, Response>
{
    public override void Configure()
    {
        Delete("/notes/{id}");
        Scopes(KeyScopes.WriteNotes);
        Group<ApiV1Group>();
        Summary(s => s.Summary = "Delete a note");
        Description(b => b.WithTags(ApiTags.Notes).WithMetadata(Infrastructure.Versioning.Deprecation.NotesV1).ClearDefaultAccepts().Produces<Response>().Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct)
    {
        var note = await NoteLookup.LoadAsync(session, HttpContext.Caller(), req.Id, ct);
        session.Delete<Note>(note.Id);
        await NoteEvents.PublishAsync(session, clock, EventCatalog.NoteDeleted, note, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(new Response { Id = note.Id }, ct);
    }
}
