using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;
using Mode = Nexus.Shared.Common.Mode;

namespace Nexus.Web.Api.Notes.V1.Create;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, NoteV1>
{
    public override void Configure()
    {
        Post("/notes");
        Scopes(KeyScopes.WriteNotes);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Create a note";
            s.Description = "Creates a note in the key's org and mode (a test key creates a test-mode note).";
            s.ExampleRequest = new Request { Title = "Call Alice", Body = "About the Q3 invoice." };
            s.ResponseExamples[201] = new NoteV1 { Id = "note_01jd4n6x9m3f8r2k7q5w0y1z3a", Title = "Call Alice", Body = "About the Q3 invoice.", CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z") };
        });
        Description(b => b.WithTags(ApiTags.Notes).WithMetadata(Infrastructure.Versioning.Deprecation.NotesV1).Produces<NoteV1>(201).Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var note = await StoreAsync(session, clock, caller.OrgId, caller.Mode, req, ct, HttpContext.TraceIdentifier);
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = note.Id }, NoteV1.From(note), verb: FastEndpoints.Http.GET, cancellation: ct);
    }

    /// <summary>
    /// Stores a validated request as a new note of <paramref name="orgId"/> in <paramref name="mode"/>, with its
    /// <c>note.created</c> event in the same transaction; the benchmark's ceiling route shares it, so it pays for the event too.
    /// </summary>
    public static async Task<Note> StoreAsync(IDocumentSession session, TimeProvider clock, string orgId, Mode mode, Request req, CancellationToken ct,
        string? requestId = null)
    {
        var now = clock.GetUtcNow();
        var note = new Note
        {
            Id = Ids.New(NoteLookup.IdPrefix, clock),
            OrgId = orgId,
            Mode = mode,
            Title = req.Title!,
            Body = req.Body!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(note);
        await NoteEvents.PublishAsync(session, clock, EventCatalog.NoteCreated, note, requestId, ct);
        await session.SaveChangesAsync(ct);
        return note;
    }
}
