using Microsoft.AspNetCore.Diagnostics;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.StatusPages;

/// <summary>
/// Pages of Nexus's own where a browser navigating the dashboard or the docs would otherwise get
/// its bare error: a URL that leads nowhere (an unknown path, or a key, endpoint or delivery that
/// does not exist or belongs to another organization), a link that cannot be read (a bare 400 from
/// <see cref="Infrastructure.Http.NulCharacterGuard"/>), and a failure on our side, with the request id
/// to quote. Only for a browser navigating: the API keeps its error object
/// (<see cref="ApiErrorMiddleware"/>), an htmx request keeps its bare status (the page it came from
/// shows a toast), and so does a missing script, stylesheet or image. Endpoints answer a missing
/// resource with <c>Results.NotFound()</c>, which leaves the body to this; FastEndpoints'
/// <c>Send.NotFoundAsync</c> starts the response, and the page could not follow.
/// </summary>
public static class StatusPages
{
    public const string NotFoundView = "~/Dashboard/StatusPages/NotFound.cshtml";
    public const string BadRequestView = "~/Dashboard/StatusPages/BadRequest.cshtml";
    public const string ErrorView = "~/Dashboard/StatusPages/Error.cshtml";

    public static IApplicationBuilder UseNexusStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(http => !http.Request.IsApi(), dashboard =>
        {
            // Logs the exception (with the request id) and answers 500; the page only for a browser navigating.
            dashboard.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = async http =>
                {
                    // The handler starts from a cleared response: the id to quote and the browser protections go back on.
                    http.Response.Headers[RequestIdMiddleware.Header] = http.TraceIdentifier;
                    SecurityHeadersMiddleware.Apply(http);
                    if (IsPageRequest(http)) await RazorView.Page(ErrorView, http.TraceIdentifier, StatusCodes.Status500InternalServerError).ExecuteAsync(http);
                },
            });
            // Only a browser's page request can get the page, so only those carry the framework's
            // status-code pages feature: htmx requests and asset fetches skip it altogether.
            dashboard.UseWhen(IsPageRequest, pages => pages.UseStatusCodePages(async context =>
            {
                // The framework's status-code pages act only on an answer that has no body yet.
                var status = context.HttpContext.Response.StatusCode;
                var view = status switch
                {
                    StatusCodes.Status404NotFound => NotFoundView,
                    StatusCodes.Status400BadRequest => BadRequestView,
                    _ => null,
                };
                if (view is not null) await RazorView.Page(view, status: status).ExecuteAsync(context.HttpContext);
            }));
        });

    /// <summary>A browser navigating to a page: a GET that accepts HTML, not from htmx, not to the API.</summary>
    private static bool IsPageRequest(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && !http.Request.IsApi() && !http.Request.Headers.ContainsKey("HX-Request")
        && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
