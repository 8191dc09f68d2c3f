using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>
/// Checks how a JSON endpoint's body is declared, once the endpoint is known and the caller
/// authenticated, and answers 415 with the error object where FastEndpoints would not:
/// <list type="bullet">
/// <item>no Content-Type at all (a POST without a body): FastEndpoints' own 415 is bare, and already started;</item>
/// <item>a Content-Type that is not one media type (<c>application/json, text/plain</c>): the body was
/// skipped and the request refused for a missing field it held;</item>
/// <item>a charset other than UTF-8: the body was read as UTF-8 anyway;</item>
/// <item>a Content-Encoding (gzip, br): the bytes were read as they came, compressed or not.</item>
/// </list>
/// </summary>
public sealed class BodyDeclarationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.IsApi() || ctx.GetEndpoint() is not { } endpoint) return next(ctx);
        var request = ctx.Request;
        // Routes whose body is optional (roll, replay…) accept anything here; OptionalJsonBody refuses a body that is not JSON.
        var jsonBody = TakesJsonBody(endpoint);
        if (!jsonBody && !request.HasBody()) return next(ctx);

        if (!request.Headers.ContainsKey(HeaderNames.ContentType)
            || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            return jsonBody ? ApiErrorMiddleware.WriteUnsupportedMediaType(ctx) : next(ctx);
        if (type.Charset.Value?.Trim('"') is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return ApiErrors.WriteAsync(ctx, ErrorCatalog.UnsupportedMediaType,
                $"The body must be JSON in UTF-8; it is declared as charset {Short(charset)}. Send Content-Type: application/json.");
        if (request.Headers.ContentEncoding is { Count: > 0 } encoding && encoding.ToString() is var coding && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return ApiErrors.WriteAsync(ctx, ErrorCatalog.UnsupportedMediaType,
                $"Content-Encoding {Short(coding)} is not accepted: send the body uncompressed.");
        return next(ctx);
    }

    /// <summary>
    /// Whether the route declares a JSON body to routing, so that it needs one. Routes whose body is
    /// optional (roll, revoke, replay…) declare none and check what they get with <c>OptionalJsonBody</c>.
    /// </summary>
    public static bool TakesJsonBody(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts && !accepts.ContentTypes.Contains("*/*");

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
