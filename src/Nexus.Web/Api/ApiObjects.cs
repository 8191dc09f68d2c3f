using Marten;
using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api;

/// <summary>
/// The object a route's id names, or 404 <c>resource_missing</c> in <see cref="NotFound"/>'s words.
/// Another org's object, a missing one and a malformed id read alike, so ids reveal nothing; an id
/// the caller's own org has in the other mode is named as such, the commonest cause of a 404.
/// </summary>
public static class ApiObjects
{
    /// <summary>The caller's <typeparamref name="T"/> with this id; a malformed id is answered without a query.</summary>
    public static Task<T> LoadAsync<T>(IQuerySession session, ApiCaller caller, string id, string prefix, CancellationToken ct)
        where T : class, IModeScoped =>
        LoadAsync<T>(session, caller.OrgId, caller.Mode, id, prefix, ct);

    /// <summary>The same, for an org and mode known without a caller (the benchmark's ceiling routes).</summary>
    public static async Task<T> LoadAsync<T>(IQuerySession session, string orgId, Mode mode, string id, string prefix, CancellationToken ct)
        where T : class, IModeScoped
    {
        RequireWellFormed<T>(id, prefix);
        var found = await session.LoadAsync<T>(id, ct);
        if (found is not null && found.OrgId == orgId && found.Mode == mode) return found;
        throw new ApiException(ErrorCatalog.ResourceMissing, NotFound.Message(id, found, orgId, mode), "id");
    }

    /// <summary>404 for an id not of <paramref name="prefix"/>'s shape, so it cannot name a <typeparamref name="T"/>.</summary>
    public static void RequireWellFormed<T>(string id, string prefix) where T : IModeScoped
    {
        if (!Ids.IsWellFormed(id, prefix)) throw new ApiException(ErrorCatalog.ResourceMissing, NotFound.Message<T>(id), "id");
    }
}
