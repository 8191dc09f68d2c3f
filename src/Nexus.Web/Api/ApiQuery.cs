using Nexus.Shared.Common;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using FluentValidation;
using Marten;
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
                        ? $"Received unknown query parameter: {Echo.Clip(name, 40)}. This endpoint takes none."
                        : $"Received unknown query parameter: {Echo.Clip(name, 40)}. Known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.",
                    Echo.Clip(name, 40));
        return Task.CompletedTask;
    }

    private static HashSet<string> Declared(Type requestType) => requestType.GetProperties()
        .Where(p => p.GetCustomAttribute<QueryParamAttribute>() is not null)
        .Select(p => p.GetCustomAttribute<BindFromAttribute>()?.Name ?? NexusJson.SnakeCase(p.Name))
        .ToHashSet(StringComparer.Ordinal);
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

    /// <summary>
    /// What FastEndpoints answers when a query or route value cannot be read as its property's type
    /// (<c>?limit=abc</c>, <c>?created_gte=notadate</c>): the parameter and what it must be, in the
    /// words of the routes' own rules, instead of the framework's "Value [abc] is not valid for a [Int32] property!".
    /// </summary>
    public static string BindingFailureMessage(Type type, string property, Microsoft.Extensions.Primitives.StringValues _)
    {
        var name = NexusJson.SnakeCase(property);
        return (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            // Every list's limit is 1–100 (refused past it, or capped at it where the docs say so).
            var t when t == typeof(int) && name == "limit" => $"limit must be a whole number between 1 and {PageMax}.",
            // The value did not bind: not a number, or past what the type holds (99999999999 is a whole number).
            var t when t == typeof(int) && name == "offset" => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"offset must be a whole number from 0 to {int.MaxValue:N0}."),
            var t when t == typeof(int) || t == typeof(long) => $"{name} must be a whole number.",
            var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => $"{name} must be an ISO 8601 time, like 2026-11-22T10:00:00Z.",
            var t when t == typeof(bool) => $"{name} must be true or false.",
            { IsEnum: true } t => $"{name} must be one of {string.Join(", ", Enum.GetNames(t).Select(NexusJson.SnakeCase))}.",
            _ => $"{name} has a value that is not valid here.",
        };
    }

    /// <summary>The <c>limit</c> of every cursor-paged list: 1 to <see cref="PageMax"/>.</summary>
    public static IRuleBuilderOptions<T, int?> PageLimit<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(l => l is null or >= 1 and <= PageMax).WithMessage($"limit must be between 1 and {PageMax}");

    /// <summary>
    /// The <c>created_gte</c>/<c>created_lt</c> filters of a list (bound as strings): each an ISO 8601
    /// time, and the range not reversed or empty.
    /// </summary>
    public static void CreatedRange<T>(this AbstractValidator<T> v, Expression<Func<T, string?>> gte, Expression<Func<T, string?>> lt)
    {
        v.RuleFor(gte).Must(t => t is null || TryParseTime(t, out _))
            .WithMessage("created_gte must be an ISO 8601 time, like 2026-11-22T10:00:00Z");
        v.RuleFor(lt).Must(t => t is null || TryParseTime(t, out _))
            .WithMessage("created_lt must be an ISO 8601 time, like 2026-11-22T10:00:00Z");
        var from = gte.Compile();
        var to = lt.Compile();
        v.RuleFor(lt).Must((x, _) => !TryParseTime(from(x), out var a) || !TryParseTime(to(x), out var b) || a < b)
            .WithMessage("created_lt must be later than created_gte");
    }

    /// <summary>A <c>starting_after</c> cursor: the id (of <paramref name="prefix"/>) of the previous page's last object.</summary>
    public static IRuleBuilderOptions<T, string?> Cursor<T>(this IRuleBuilder<T, string?> rule, string prefix, string what) =>
        rule.Must(c => c is null || Shared.Common.Ids.IsWellFormed(c, prefix)).WithMessage($"starting_after must be {what} taken from next_cursor");

    /// <summary>
    /// A filter by event type (<paramref name="name"/> is the parameter's name): a type from the
    /// catalog or a <c>custom.*</c> name, the same rule the event itself was created under. Not an
    /// enum in the API documents for that reason; the message says where the catalog is.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> EventTypeFilter<T>(this IRuleBuilder<T, string?> rule, string name) =>
        rule.Must(t => t is null || Shared.Webhooks.EventCatalog.IsKnown(t))
            .WithMessage($"{name} must be a type from GET /api/v1/event-types or a custom.* name, e.g. custom.invoice.paid");

    /// <summary>
    /// One page of a list, newest first by id (ids are time-ordered, so the id is also the
    /// <c>starting_after</c> cursor), and whether more follow: it fetches one row more than it returns.
    /// </summary>
    public static async Task<(List<T> Page, bool HasMore)> NewestFirstAsync<T>(IQueryable<T> query, Expression<Func<T, string>> id, int limit, CancellationToken ct) where T : notnull
    {
        var page = (await query.OrderByDescending(id).Take(limit + 1).ToListAsync(ct)).ToList();
        var hasMore = page.Count > limit;
        if (hasMore) page.RemoveAt(page.Count - 1);
        return (page, hasMore);
    }

    /// <summary>Shaped like an id Nexus makes (<c>prefix_</c> + 26 lower-case base32 characters), whatever the prefix.</summary>
    public static bool LooksLikeId(string? id)
    {
        var underscore = id?.IndexOf('_') ?? -1;
        return underscore is > 0 and <= 16
            && id![..underscore].All(char.IsAsciiLetterLower)
            && Shared.Common.Ids.IsWellFormed(id, id[..underscore]);
    }
}
