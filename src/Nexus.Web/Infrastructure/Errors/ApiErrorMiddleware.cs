using Npgsql;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>
/// Outermost guard for /api: whatever goes wrong below, the client gets the error object with
/// the right status, never a stack trace or a framework ProblemDetails.
/// </summary>
public sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.IsApi())
        {
            await next(ctx);
            return;
        }

        if (HasBody(ctx.Request) && !ctx.Request.HasJsonContentType())
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.UnsupportedMediaType,
                $"Expected Content-Type: application/json, got '{Trim(ctx.Request.ContentType)}'.");
            return;
        }

        try
        {
            await next(ctx);
            if (ctx.Response is { HasStarted: false, StatusCode: 404 or 405 } && ctx.GetEndpoint() is null)
                await WriteRoutingError(ctx);
        }
        catch (ApiException e)
        {
            await ApiErrors.WriteAsync(ctx, e.Error, e.Message, e.Param);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyTooLarge);
        }
        catch (BadHttpRequestException e)
        {
            log.LogInformation("Bad request {RequestId}: {Message}", ctx.TraceIdentifier, e.Message);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyInvalidJson, "The request could not be read.");
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is listening for an answer.
        }
        catch (Exception e) when (e is NpgsqlException || e.InnerException is NpgsqlException)
        {
            log.LogError(e, "Database unavailable for request {RequestId}", ctx.TraceIdentifier);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.ServiceUnavailable);
        }
        catch (Exception e)
        {
            log.LogError(e, "Unhandled error in request {RequestId}", ctx.TraceIdentifier);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.InternalError, $"An internal error occurred (request {ctx.TraceIdentifier}).");
        }
    }

    private static Task WriteRoutingError(HttpContext ctx)
    {
        if (ctx.Response.StatusCode == 405)
            return ApiErrors.WriteAsync(ctx, ErrorCatalog.MethodNotAllowed,
                $"{ctx.Request.Method} is not allowed on {ctx.Request.Path}.");

        var path = ctx.Request.Path.Value ?? "";
        var knownVersion = path.StartsWith("/api/v1/", StringComparison.Ordinal) || path.StartsWith("/api/v2/", StringComparison.Ordinal);
        return ApiErrors.WriteAsync(ctx, ErrorCatalog.RouteNotFound, knownVersion
            ? $"No route {ctx.Request.Method} {path}."
            : $"No route {ctx.Request.Method} {path}. Supported API versions: v1, v2 (e.g. /api/v1/notes).");
    }

    private static bool HasBody(HttpRequest r) =>
        r.ContentLength > 0 || (r.ContentLength is null && r.Headers.TransferEncoding.Count > 0);

    private static string Trim(string? s) => s is null ? "none" : s.Length > 100 ? s[..100] : s;
}
