using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Nexus.Web.Infrastructure.Views;

/// <summary>
/// Lets a FastEndpoints endpoint answer with a Razor view (a full page inside the layout) or a
/// partial (an HTMX fragment). Views live next to their endpoint, so paths are app-relative.
/// </summary>
public sealed class RazorView(string path, object? model, bool partial, int status) : IResult
{
    public static RazorView Page(string path, object? model = null, int status = 200) => new(path, model, false, status);
    public static RazorView Fragment(string path, object? model = null, int status = 200) => new(path, model, true, status);

    public async Task ExecuteAsync(HttpContext ctx)
    {
        var viewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        var tempData = ctx.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(ctx);
        IActionResult result = partial
            ? new PartialViewResult { ViewName = path, ViewData = viewData, TempData = tempData, StatusCode = status }
            : new ViewResult { ViewName = path, ViewData = viewData, TempData = tempData, StatusCode = status };
        // Pages and fragments can share a URL; caches must keep them apart.
        ctx.Response.Headers.Append("Vary", "HX-Request");
        await result.ExecuteResultAsync(new ActionContext(ctx, ctx.GetRouteData(), new ActionDescriptor()));
    }
}
