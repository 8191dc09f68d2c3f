using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>Thrown anywhere in an API request to answer with the error object.</summary>
public sealed class ApiException(ErrorCode error, string? message = null, string? param = null)
    : Exception(message ?? error.Title)
{
    public ErrorCode Error { get; } = error;
    public string? Param { get; } = param;
}

public static class ApiErrors
{
    /// <summary>Where the code of the error a request answered with is kept, for its request log.</summary>
    public const string ErrorCodeItem = "nx:error-code";

    public static ApiErrorResponse Build(HttpContext ctx, ErrorCode code, string? message = null, string? param = null)
    {
        ctx.Items[ErrorCodeItem] = code.Code;
        return BuildBody(ctx, code, message, param);
    }

    private static ApiErrorResponse BuildBody(HttpContext ctx, ErrorCode code, string? message, string? param) => new()
    {
        Error = new ApiError
        {
            Type = code.Type,
            Code = code.Code,
            // Messages and params quote what the client sent (an id, a field or parameter name, a
            // value); a key or signing secret among it is not sent back, nor stored in a debug capture.
            Message = SecretText.Redact(message ?? code.Title + "."),
            Param = param is null ? null : SecretText.Redact(param),
            RequestId = ctx.TraceIdentifier,
            DocUrl = ctx.Request.AbsoluteUrl($"/docs/errors/{code.Code}"),
            // Only requests with a key Nexus issued are logged, under its org.
            RequestLogUrl = Auth.ApiCallerExtensions.IsApiCaller(ctx) || Auth.ApiKeyAuthentication.RefusedKeyOf(ctx) is not null
                ? ctx.Request.AbsoluteUrl($"/logs/{ctx.TraceIdentifier}")
                : null,
        },
    };

    public static async Task WriteAsync(HttpContext ctx, ErrorCode code, string? message = null, string? param = null)
    {
        if (ctx.Response.HasStarted) return;
        if (ctx.Request.IsApi() && ctx.RequestServices?.GetService<RateLimits.ApiRateLimits>() is { } limits)
        {
            // A request refused before authentication still belongs to its key's org when the key is valid.
            if (code.Status < 500) await Auth.ApiCallerExtensions.IdentifyApiCallerAsync(ctx);
            // An answer given before the budgets were spent (a 401, a 403, a malformed request) still says where its caller stands.
            await limits.AddIfMissingAsync(ctx);
        }
        ctx.Response.StatusCode = code.Status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(ctx.Response.Body, Build(ctx, code, message, param), NexusJson.Options, ctx.RequestAborted);
    }

    /// <summary>Whether the request carries a body: a positive Content-Length, or a streamed (chunked) one.</summary>
    public static bool HasBody(this HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    public static bool IsApi(this HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        // A doubled slash (//api/v1/notes) routes nowhere, but its caller still gets the error object.
        || (request.Path.Value?.StartsWith("//", StringComparison.Ordinal) == true
            && new PathString("/" + request.Path.Value.TrimStart('/')).StartsWithSegments("/api"));
}
