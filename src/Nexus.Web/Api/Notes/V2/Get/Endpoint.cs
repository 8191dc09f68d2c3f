using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V2.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<V1.Get.Request, NoteV2>
{
    public override void Configure()
    {
        Get("/notes/{id}");
        Scopes(KeyScopes.ReadNotes);
        Group<ApiV2Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a note";
            s.Description = "Another org's note is 404 like a note that does not exist; for a note of the other mode, the 404's message says it is there.";
            s.ResponseExamples[200] = NoteV2.Example;
        });
        Description(b => b.WithTags(ApiTags.Notes).ClearDefaultAccepts().Produces<NoteV2>().Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(V1.Get.Request req, CancellationToken ct) =>
        await Send.OkAsync(NoteV2.From(await NoteLookup.LoadAsync(session, HttpContext.Caller(), req.Id, ct)), ct);
}
