using Microsoft.AspNetCore.Routing.Template;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// The route template a request is logged and grouped under (<c>/api/v1/notes/{id}</c>). Normally the
/// endpoint routing chose. A request routing gave no route still names one by its path: one refused at
/// the edge before routing ran (a body or URL over the limit, NUL in the query string), or one routing
/// answered itself (405 for a method the path does not take, 415 for a body that is not JSON). Routing
/// has no public way to match a path without running a request through it, so for those the API's
/// templates are matched here, most specific first as routing orders them, with their HTTP methods
/// left out on purpose (a 405's path names a route whatever its method). Empty when the path names none.
/// </summary>
public sealed class RouteTemplates(EndpointDataSource endpoints)
{
    private readonly Lazy<(TemplateMatcher Matcher, string Template)[]> api = new(() =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern, Template: TemplateOf(e)))
            .Where(r => r.Template.StartsWith("/api/", StringComparison.Ordinal))
            .DistinctBy(r => r.Template)
            .OrderBy(r => r.RoutePattern.InboundPrecedence)
            .Select(r => (new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary()), r.Template))
            .ToArray());

    public string Of(HttpContext ctx) =>
        ctx.GetEndpoint() is RouteEndpoint endpoint ? TemplateOf(endpoint) : Of(ctx.Request.Path);

    /// <summary>The template of the most specific API route whose path matches; empty when none does.</summary>
    public string Of(PathString path)
    {
        var values = new RouteValueDictionary();
        foreach (var (matcher, template) in api.Value)
        {
            if (matcher.TryMatch(path, values)) return template;
            values.Clear();
        }
        return "";
    }

    private static string TemplateOf(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
}
