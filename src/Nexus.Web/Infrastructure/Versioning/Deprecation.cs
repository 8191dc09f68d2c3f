using Nexus.Web.Infrastructure.Http;
using System.Globalization;

namespace Nexus.Web.Infrastructure.Versioning;

/// <summary>
/// Marks an API route as deprecated (endpoint metadata). Every response from it then carries
/// <c>Deprecation</c> (RFC 9745: <c>@</c> + Unix seconds), <c>Sunset</c> (RFC 8594: the HTTP date
/// after which it may stop working) and <c>Link</c>s to the migration guide and the successor, so
/// clients and API gateways can warn before anything breaks. The OpenAPI documents mark the
/// operation deprecated too.
/// </summary>
public sealed record Deprecation(DateTimeOffset DeprecatedAt, DateTimeOffset SunsetAt, string GuidePath, string Successor)
{
    /// <summary>Notes v1: superseded by v2 (tags, <c>content</c> instead of title and body).</summary>
    public static readonly Deprecation NotesV1 = new(
        new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2027, 6, 30, 23, 59, 59, TimeSpan.Zero),
        "/docs/migrations/v1-to-v2",
        "/api/v2/notes");

    public void Apply(HttpResponse response)
    {
        var request = response.HttpContext.Request;
        response.Headers["Deprecation"] = "@" + DeprecatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Sunset"] = SunsetAt.ToString("r", CultureInfo.InvariantCulture);
        response.Headers.Append("Link", $"<{request.AbsoluteUrl(GuidePath)}>; rel=\"deprecation\"; type=\"text/html\"");
        response.Headers.Append("Link", $"<{request.AbsoluteUrl(Successor)}>; rel=\"successor-version\"");
    }
}

/// <summary>Adds the headers of a route's <see cref="Deprecation"/> to every response, errors included.</summary>
public sealed class DeprecationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<Deprecation>() is { } deprecation)
            ctx.Response.OnStarting(() =>
            {
                deprecation.Apply(ctx.Response);
                return Task.CompletedTask;
            });
        return next(ctx);
    }
}
