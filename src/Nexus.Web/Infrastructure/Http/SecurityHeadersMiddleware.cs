namespace Nexus.Web.Infrastructure.Http;

/// <summary>Baseline browser protections on every response.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    // The API reference renders client-side and injects its own styles; it still loads nothing
    // from elsewhere, and never needs eval.
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext ctx)
    {
        Apply(ctx);
        return next(ctx);
    }

    /// <summary>Sets the headers; also for an answer written after the response was cleared (the error page).</summary>
    public static void Apply(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "strict-origin-when-cross-origin";
        h.XFrameOptions = "DENY";
        h.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/docs") && !ctx.Request.Path.StartsWithSegments("/docs/errors")
            ? DocsPolicy
            : AppPolicy;
    }
}
