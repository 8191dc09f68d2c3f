using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys;

/// <summary>What every key route shares: ids, the org, and KeyManager's refusals as the error object.</summary>
public static class KeyApi
{
    public const string Tag = "API keys";
    public const string IdPrefix = "key";

    /// <summary>The answer for a refused key operation: the error code the problem names, with its message and param.</summary>
    public static ApiException Error(Refusal problem) =>
        new(ErrorCatalog.Find(problem.Code) ?? ErrorCatalog.ParameterInvalid, problem.Message, problem.Param);

    /// <summary>The key from a successful operation, or the error object for a refused one.</summary>
    public static ApiKey KeyOrThrow(this KeyResult result) =>
        result.Problem is { } problem ? throw Error(problem) : result.Key!;

    /// <summary>A malformed id is answered like an unknown one (404), without a query.</summary>
    public static void RequireWellFormed(string id) => ApiObjects.RequireWellFormed<ApiKey>(id, IdPrefix);

    /// <summary>The caller's org (its plan bounds per-key rate limits). It exists: the key that authenticated belongs to it.</summary>
    public static async Task<Organization> LoadOrgAsync(IQuerySession session, string orgId, CancellationToken ct) =>
        await session.LoadAsync<Organization>(orgId, ct)
        ?? throw new ApiException(ErrorCatalog.ResourceMissing, "The key's organization no longer exists.");
}
