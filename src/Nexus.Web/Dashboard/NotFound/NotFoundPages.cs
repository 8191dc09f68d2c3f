using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.NotFound;

/// <summary>
/// A page for a dashboard or docs URL that leads nowhere (an unknown path, or a key, endpoint or
/// delivery that does not exist or belongs to another organization), where the browser would
/// otherwise show its own bare error. Only for a browser navigating: the API keeps its error object,
/// and an htmx request keeps its empty 404 (the page it came from handles it). Endpoints answer a
/// missing resource with <c>Results.NotFound()</c>, which leaves the body to this; FastEndpoints'
/// <c>Send.NotFoundAsync</c> starts the response, and the page could not follow.
/// </summary>
public static class NotFoundPages
{
    public const string View = "~/Dashboard/NotFound/NotFound.cshtml";

    public static IApplicationBuilder UseNexusNotFoundPages(this IApplicationBuilder app) =>
        // The framework's status-code pages act only on an answer that has no body yet.
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode != StatusCodes.Status404NotFound || http.Request.IsApi()
                || !HttpMethods.IsGet(http.Request.Method) || http.Request.Headers.ContainsKey("HX-Request"))
                return;
            await RazorView.Page(View, status: StatusCodes.Status404NotFound).ExecuteAsync(http);
        });
}
