using FastEndpoints;
using Marten;
using Nexus.Web.Api.Notes;
using Nexus.Web.Api.Notes.V1;
using Nexus.Web.Infrastructure.Errors;
using Get = Nexus.Web.Api.Notes.V1.Get;

namespace Nexus.Web.Infrastructure.Bench;

/// <summary><c>GET /api/v1/notes/{id}</c>'s handler without authentication, rate limit or request log (see <see cref="BenchRoutes"/>).</summary>
internal sealed class GetNoteEndpoint(IQuerySession session, BenchTarget target) : Endpoint<Get.Request, NoteV1>, IBenchEndpoint
{
    public override void Configure()
    {
        Get("/bench/notes/{id}");
        AllowAnonymous();
        Description(b => b.ExcludeFromDescription());
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct)
    {
        try
        {
            await Send.OkAsync(NoteV1.From(await NoteLookup.LoadAsync(session, target.OrgId, target.Mode, req.Id, ct)), ct);
        }
        catch (ApiException)
        {
            // Outside /api the error middleware does not answer for us; a missing note is still a 404, never a 500.
            await Send.NotFoundAsync(ct);
        }
    }
}
