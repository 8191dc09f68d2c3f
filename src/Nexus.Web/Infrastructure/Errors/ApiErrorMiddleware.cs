using System.Globalization;
using System.Text.RegularExpressions;
using Nexus.Web.Infrastructure.Http;
using Npgsql;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>
/// Outermost guard for /api: whatever goes wrong below, the client gets the error object with
/// the right status, never a stack trace or a framework ProblemDetails.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.IsApi())
        {
            await next(ctx);
            return;
        }

        // Kestrel's own limit is set higher (WebSetup), so an over-long URL gets here and is told so.
        if (UrlLength(ctx.Request) > WebSetup.MaxUrlChars)
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.RequestUrlTooLong,
                string.Create(CultureInfo.InvariantCulture,
                    $"The request URL is {UrlLength(ctx.Request):N0} characters long; the API accepts at most {WebSetup.MaxUrlChars:N0} (path and query string together). Send fewer or shorter query parameters."));
            return;
        }

        // The body limit holds whatever server runs the app: a declared length over it is refused
        // before anything is read, a streamed body is cut off when it passes it.
        if (ctx.Request.ContentLength is { } declared && declared > WebSetup.MaxRequestBodyBytes)
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"The request body is {declared:N0} bytes; {BodyLimitSentence}"));
            return;
        }
        if (ctx.Request.ContentLength is null && ctx.Request.HasBody())
            ctx.Request.Body = new LimitedBodyStream(ctx.Request.Body, WebSetup.MaxRequestBodyBytes);

        try
        {
            await next(ctx);
            if (!ctx.Response.HasStarted)
                await WriteBareStatusError(ctx);
        }
        catch (ApiException e)
        {
            await ApiErrors.WriteAsync(ctx, e.Error, e.Message, e.Param);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyTooLarge, $"The request body is larger than the limit; {BodyLimitSentence}");
        }
        catch (BadHttpRequestException e)
        {
            log.LogInformation("Bad request {RequestId}: {Message}", ctx.TraceIdentifier, e.Message);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyInvalidJson, "The request could not be read.");
        }
        catch (IOException e) when (e.InnerException is OverflowException && ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            // Kestrel's chunked-body reader throws this, not BadHttpRequestException, for a chunk size past 2 GB.
            log.LogInformation("Bad request {RequestId}: {Message}", ctx.TraceIdentifier, e.Message);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.BodyInvalidJson, "The request could not be read: a chunk of its body is declared larger than any body the API accepts.");
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is listening for an answer.
        }
        catch (Exception e) when (Unstorable(e) is { } state)
        {
            // A value that passed every check at the edge and still could not be stored: the request's
            // fault, not the database's. Logged without the exception, whose detail quotes the value.
            log.LogWarning("Request {RequestId} held a value PostgreSQL cannot store ({SqlState})", ctx.TraceIdentifier, state);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.ParameterInvalid, "The request holds a character that cannot be stored, such as U+0000 (NUL).");
        }
        catch (Exception e) when (FromDatabase(e))
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

    /// <summary>
    /// PostgreSQL's refusal of a character (22P05 untranslatable_character: <c>\u0000</c> in jsonb;
    /// 22021 character_not_in_repertoire: a NUL byte in text), anywhere in the chain.
    /// </summary>
    private static string? Unstorable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.CharacterNotInRepertoire } pg)
                return pg.SqlState;
        return null;
    }

    /// <summary>A database failure anywhere in the chain (Marten and Npgsql wrap them at various depths).</summary>
    private static bool FromDatabase(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is NpgsqlException || (e is AggregateException all && all.InnerExceptions.Any(FromDatabase))) return true;
        return false;
    }

    /// <summary>Routing answers some errors with a bare status code; give them the error object.</summary>
    private static Task WriteBareStatusError(HttpContext ctx) => ctx.Response.StatusCode switch
    {
        404 when ctx.GetEndpoint() is null => WriteRouteNotFound(ctx),
        // Routing's own 405 endpoint ran (it is not null, just not a route): the path exists, the method does not.
        405 => ApiErrors.WriteAsync(ctx, ErrorCatalog.MethodNotAllowed, $"{ctx.Request.Method} is not allowed on {ctx.Request.Path}."),
        // Routing's own 415 endpoint (the endpoint accepts JSON, the body is declared as something else).
        415 => WriteUnsupportedMediaType(ctx),
        _ => Task.CompletedTask,
    };

    private static Task WriteRouteNotFound(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        // An empty segment (//) is a slip in building the URL: name the path it was probably meant to be.
        if (path.Contains("//", StringComparison.Ordinal))
            return ApiErrors.WriteAsync(ctx, ErrorCatalog.RouteNotFound,
                $"No route {ctx.Request.Method} {path}: the path has an empty segment (//); did you mean {DoubledSlashes().Replace(path, "/")}?");
        var knownVersion = path.StartsWith("/api/v1/", StringComparison.Ordinal) || path.StartsWith("/api/v2/", StringComparison.Ordinal);
        return ApiErrors.WriteAsync(ctx, ErrorCatalog.RouteNotFound, knownVersion
            ? $"No route {ctx.Request.Method} {path}."
            : $"No route {ctx.Request.Method} {path}. Supported API versions: v1, v2 (e.g. /api/v1/notes).");
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex DoubledSlashes();

    private static readonly string BodyLimitSentence = string.Create(CultureInfo.InvariantCulture,
        $"the API accepts at most {WebSetup.MaxRequestBodyBytes:N0} bytes (1 MB). Split the data or shorten the fields.");

    private static int UrlLength(HttpRequest r) => (r.Path.Value?.Length ?? 0) + (r.QueryString.Value?.Length ?? 0);

    public static Task WriteUnsupportedMediaType(HttpContext ctx) =>
        ApiErrors.WriteAsync(ctx, ErrorCatalog.UnsupportedMediaType,
            $"Expected Content-Type: application/json, got '{Trim(ctx.Request.ContentType)}'.");


    private static string Trim(string? s) => s is null ? "none" : s.Length > 100 ? s[..100] : s;
}
