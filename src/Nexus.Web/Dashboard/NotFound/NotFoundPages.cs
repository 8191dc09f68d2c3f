using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.NotFound;

/// <summary>
/// A page for a dashboard or docs URL that leads nowhere (an unknown path, or a key, endpoint or
/// delivery that does not exist or belongs to another organization), where the browser would
/// otherwise show its own bare error. Only for a browser navigating: the API keeps its error object,
/// an htmx request keeps its empty 404 (the page it came from handles it), and so does a missing
/// script, stylesheet or image. Endpoints answer a
/// missing resource with <c>Results.NotFound()</c>, which leaves the body to this; FastEndpoints'
/// <c>Send.NotFoundAsync</c> starts the response, and the page could not follow. A bare 400 gets a
/// page of its own, the same way.
/// </summary>
public static class NotFoundPages
{
    public const string View = "~/Dashboard/NotFound/NotFound.cshtml";
    public const string BadRequestView = "~/Dashboard/NotFound/BadRequest.cshtml";

    public static IApplicationBuilder UseNexusNotFoundPages(this IApplicationBuilder app) =>
        // Only a browser's page request can get the page, so only those carry the framework's
        // status-code pages feature: API requests and asset fetches skip it altogether.
        app.UseWhen(IsPageRequest, branch => branch.UseStatusCodePages(async context =>
        {
            // The framework's status-code pages act only on an answer that has no body yet.
            var status = context.HttpContext.Response.StatusCode;
            if (status == StatusCodes.Status404NotFound)
                await RazorView.Page(View, status: status).ExecuteAsync(context.HttpContext);
            // A link that cannot be read (NulCharacterGuard).
            else if (status == StatusCodes.Status400BadRequest)
                await RazorView.Page(BadRequestView, status: status).ExecuteAsync(context.HttpContext);
        }));

    /// <summary>A browser navigating to a page: a GET that accepts HTML, not from htmx, not to the API.</summary>
    private static bool IsPageRequest(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && !http.Request.IsApi() && !http.Request.Headers.ContainsKey("HX-Request")
        && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
