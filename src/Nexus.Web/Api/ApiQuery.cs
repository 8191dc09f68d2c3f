using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api;

/// <summary>
/// Refuses query parameters the endpoint does not declare. FastEndpoints binds any query value
/// whose name matches a request property, body fields included, so an undeclared
/// <c>?scopes=admin:all</c> or <c>?mode=live</c> must never be silently bound or silently ignored.
/// Every API route gets it through its version group.
/// </summary>
public sealed class RejectUnknownQuery : IGlobalPreProcessor
{
    private static readonly ConcurrentDictionary<Type, HashSet<string>> KnownByType = new();

    public Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        var query = ctx.HttpContext.Request.Query;
        if (query.Count == 0) return Task.CompletedTask;
        var requestType = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.ReqDtoType;
        var known = requestType is null ? [] : KnownByType.GetOrAdd(requestType, Declared);
        foreach (var name in query.Keys)
            if (!known.Contains(name))
                throw new ApiException(ErrorCatalog.ParameterUnknown,
                    known.Count == 0
                        ? $"Received unknown query parameter: {Clip(name)}. This endpoint takes none."
                        : $"Received unknown query parameter: {Clip(name)}. Known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.",
                    Clip(name));
        return Task.CompletedTask;
    }

    private static HashSet<string> Declared(Type requestType) => requestType.GetProperties()
        .Where(p => p.GetCustomAttribute<QueryParamAttribute>() is not null)
        .Select(p => p.GetCustomAttribute<BindFromAttribute>()?.Name ?? NexusJson.SnakeCase(p.Name))
        .ToHashSet(StringComparer.Ordinal);

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}

/// <summary>Shared rules for list endpoints' query values.</summary>
public static class ApiQuery
{
    public const int PageMax = 100;

    /// <summary>
    /// A whole ISO 8601 timestamp (<c>2026-11-22T10:00:00Z</c>, optional fraction and offset; no
    /// offset means UTC) or a date (<c>2026-11-22</c>, midnight UTC). Nothing looser: "11/22/26" is ambiguous.
    /// </summary>
    public static bool TryParseTime(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is { Length: > 0 and <= 40 }
            && DateTimeOffset.TryParseExact(text, TimeFormats, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out at);
    }

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];

    /// <summary>Shaped like an id Nexus makes (<c>prefix_</c> + 26 lower-case base32 characters), whatever the prefix.</summary>
    public static bool LooksLikeId(string? id)
    {
        var underscore = id?.IndexOf('_') ?? -1;
        return underscore is > 0 and <= 16
            && id![..underscore].All(char.IsAsciiLetterLower)
            && Shared.Common.Ids.IsWellFormed(id, id[..underscore]);
    }
}
