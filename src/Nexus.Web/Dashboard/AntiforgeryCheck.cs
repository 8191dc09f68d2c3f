using FastEndpoints;
using Microsoft.AspNetCore.Antiforgery;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard;

/// <summary>
/// Every dashboard request that can change state must carry the antiforgery token (a form
/// field, or the header htmx sends). FastEndpoints' own check only looks at form-encoded
/// bodies, so a POST with no body or another content type would slip past it; this one looks
/// at every unsafe method.
/// </summary>
public sealed class AntiforgeryCheck : IGlobalPreProcessor
{
    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
            return;

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (await antiforgery.IsRequestValidAsync(http)) return;

        // Answering here stops FastEndpoints before the handler runs. htmx shows its own notice for a 400;
        // a plain form post gets a page that leads back to where the form was.
        IResult answer = http.Request.Headers.ContainsKey("HX-Request")
            ? Results.Text("This form has expired or did not come from Nexus. Reload the page and try again.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)
            : RazorView.Page(ExpiredView, SameSiteReferer(http), StatusCodes.Status400BadRequest);
        await answer.ExecuteAsync(http);
    }

    public const string ExpiredView = "~/Dashboard/FormExpired/FormExpired.cshtml";

    /// <summary>The page the form was on, when it was one of ours (path and query only, never another site).</summary>
    private static string? SameSiteReferer(HttpContext http) =>
        Uri.TryCreate(http.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
        && string.Equals(referer.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? referer.PathAndQuery
            : null;
}
