using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes;

public static class NoteLookup
{
    public const string IdPrefix = "note";

    /// <summary>
    /// Loads a note the caller may see. Another org's note, a note of the other mode, and an id
    /// that does not exist all answer the same 404, so ids reveal nothing.
    /// </summary>
    public static Task<Note> LoadAsync(IQuerySession session, ApiCaller caller, string id, CancellationToken ct) =>
        LoadAsync(session, caller.OrgId, caller.Mode, id, ct);

    /// <summary>The same, for an org and mode known without a caller (the benchmark's ceiling routes).</summary>
    public static async Task<Note> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct)
    {
        var note = Ids.IsWellFormed(id, IdPrefix) ? await session.LoadAsync<Note>(id, ct) : null;
        if (note is null || note.OrgId != orgId || note.Mode != mode)
            throw new ApiException(ErrorCatalog.ResourceMissing, $"No such note: '{Echo.Clip(id)}'.", "id");
        return note;
    }
}
