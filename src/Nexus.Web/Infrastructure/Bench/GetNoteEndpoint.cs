using FastEndpoints;
using Marten;
using Nexus.Web.Api.Notes;
using Nexus.Web.Api.Notes.V1;
using Get = Nexus.Web.Api.Notes.V1.Get;

namespace Nexus.Web.Infrastructure.Bench;

/// <summary><c>GET /api/v1/notes/{id}</c>'s handler without authentication, rate limit or request log (see <see cref="BenchRoutes"/>).</summary>
internal sealed class GetNoteEndpoint(IQuerySession session, BenchTarget target) : Endpoint<Get.Request, NoteV1>, IBenchEndpoint
{
    public override void Configure()
    {
        Get("/notes/{id}");
        Group<BenchGroup>();
        AllowAnonymous();
        Description(b => b.WithMetadata(Versioning.Deprecation.NotesV1));
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct) =>
        await Send.OkAsync(NoteV1.From(await NoteLookup.LoadAsync(session, target.OrgId, target.Mode, req.Id, ct)), ct);
}
