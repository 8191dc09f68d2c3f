using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Nexus.Web.Tests.Support;

/// <summary>A dashboard route as the app routes it: its verbs, path, and the metadata its endpoint carries.</summary>
public sealed record DashboardRoute(string Verbs, string Path, EndpointMetadataCollection Metadata)
{
    public bool Has<T>() where T : class => Metadata.GetMetadata<T>() is not null;

    public bool IsUnder(params string[] prefixes) => prefixes.Any(p => new PathString(Path).StartsWithSegments(p));

    public override string ToString() => $"{Verbs} {Path}";

    /// <summary>Every FastEndpoints endpoint of the dashboard (its types live under Nexus.Web.Dashboard).</summary>
    public static IReadOnlyList<DashboardRoute> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<EndpointDefinition>()?.EndpointType.Namespace?.StartsWith("Nexus.Web.Dashboard.", StringComparison.Ordinal) == true)
            .Select(e => new DashboardRoute(
                string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []),
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata))
            .ToList();
}
