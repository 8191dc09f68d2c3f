using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>
/// A JSON endpoint called with no Content-Type at all (a POST without a body) gets a bare 415 from
/// FastEndpoints, already started so nothing can be added. This runs just before it, once the
/// endpoint is known and the caller authenticated, and answers with the error object instead.
/// </summary>
public sealed class MissingContentTypeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx) =>
        ctx.Request.IsApi()
        && !ctx.Request.Headers.ContainsKey(HeaderNames.ContentType)
        && ctx.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
        && !accepts.ContentTypes.Contains("*/*")
            ? ApiErrorMiddleware.WriteUnsupportedMediaType(ctx)
            : next(ctx);
}
