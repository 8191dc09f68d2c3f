using Microsoft.AspNetCore.Routing.Template;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// The route template a request's path names, for a request routing gave no route: one refused at the
/// edge before routing ran (a body or URL over the limit, NUL in the query string), or one routing
/// answered itself (405 for a method the path does not take, 415 for a body that is not JSON). Its
/// log row then groups with the route's other requests, and "no route matched" is kept for paths that
/// name none. Routing has no public way to match a path without running a request through it, so the
/// API's templates are matched here, most specific first as routing orders them; the templates' HTTP
/// methods are left out on purpose (a 405's path names a route whatever its method).
/// </summary>
public sealed class RouteOfPath(EndpointDataSource endpoints)
{
    private readonly Lazy<(TemplateMatcher Matcher, string Template)[]> templates = new(() =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern, Template: RequestLogMiddleware.TemplateOf(e)))
            .Where(r => r.Template.StartsWith("/api/", StringComparison.Ordinal))
            .DistinctBy(r => r.Template)
            .OrderBy(r => r.RoutePattern.InboundPrecedence)
            .Select(r => (new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary()), r.Template))
            .ToArray());

    /// <summary>The template of the most specific API route whose path matches; empty when none does.</summary>
    public string Of(PathString path)
    {
        foreach (var (matcher, template) in templates.Value)
            if (matcher.TryMatch(path, new RouteValueDictionary())) return template;
        return "";
    }
}
