using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Api.Notes;

public static class NoteLookup
{
    public const string IdPrefix = "note";

    /// <summary>Loads a note the caller may see, or answers 404 (see <see cref="ApiObjects"/>).</summary>
    public static Task<Note> LoadAsync(IQuerySession session, ApiCaller caller, string id, CancellationToken ct) =>
        ApiObjects.LoadAsync<Note>(session, caller, id, IdPrefix, ct);

    /// <summary>The same, for an org and mode known without a caller (the benchmark's ceiling routes).</summary>
    public static Task<Note> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct) =>
        ApiObjects.LoadAsync<Note>(session, orgId, mode, id, IdPrefix, ct);
}
