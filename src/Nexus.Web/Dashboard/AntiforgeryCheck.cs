using FastEndpoints;
using Microsoft.AspNetCore.Antiforgery;

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

        // Answering here stops FastEndpoints before the handler runs.
        await Results.Text(
                "This form has expired or did not come from Nexus. Reload the page and try again.",
                "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status400BadRequest)
            .ExecuteAsync(http);
    }
}
