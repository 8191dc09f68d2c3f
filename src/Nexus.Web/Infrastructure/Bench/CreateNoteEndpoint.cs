using FastEndpoints;
using Marten;
using Nexus.Web.Api.Notes.V1;
using Create = Nexus.Web.Api.Notes.V1.Create;

namespace Nexus.Web.Infrastructure.Bench;

/// <summary>
/// <c>POST /api/v1/notes</c>'s handler without authentication, rate limit or request log (see
/// <see cref="BenchRoutes"/>). Same request type, so the same validator runs.
/// </summary>
internal sealed class CreateNoteEndpoint(IDocumentSession session, TimeProvider clock, BenchTarget target) : Endpoint<Create.Request, NoteV1>, IBenchEndpoint
{
    public override void Configure()
    {
        Post("/notes");
        Group<BenchGroup>();
        AllowAnonymous();
        Description(b => b.WithMetadata(Versioning.Deprecation.NotesV1));
    }

    public override async Task HandleAsync(Create.Request req, CancellationToken ct)
    {
        var note = await Create.Endpoint.StoreAsync(session, clock, target.OrgId, target.Mode, req, ct);
        await Send.CreatedAtAsync<GetNoteEndpoint>(new { id = note.Id }, NoteV1.From(note), verb: FastEndpoints.Http.GET, cancellation: ct);
    }
}
