using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Web.Dashboard;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>
/// The routes a member held by an org's two-factor requirement may reach are the endpoints marked
/// <see cref="OpenWhileHeld"/>. The marker sits on each endpoint, so this checks the whole set: a new
/// route under the Account page that forgot it would hold the member away from setting up two-factor,
/// and a marker anywhere else would let a held member in.
/// </summary>
public sealed class OpenWhileHeldTests(NexusApp<OpenWhileHeldTests> app) : IClassFixture<NexusApp<OpenWhileHeldTests>>
{
    /// <summary>Where a held member can comply (Account) or leave (log out, switch org, join another by invitation).</summary>
    private static readonly string[] OpenPrefixes = ["/account", "/logout", "/orgs/switch", "/invitations"];

    [Fact]
    public void Exactly_the_account_logout_org_switch_and_invitation_routes_are_open_to_a_held_member()
    {
        var routes = DashboardRoutes(app.Services).ToList();
        Assert.True(routes.Count > 50, $"only {routes.Count} dashboard routes found");

        var wrong = routes
            .Where(r => r.Open != OpenPrefixes.Any(p => new PathString(r.Path).StartsWithSegments(p)))
            .Select(r => $"{r.Verbs} {r.Path}: {(r.Open ? "marked but should be held" : "held but should be marked")}")
            .ToList();

        Assert.Empty(wrong);
        Assert.Contains(routes, r => r.Open && r.Path == "/account/2fa/enable");
        Assert.Contains(routes, r => !r.Open && r.Path == "/keys");
    }

    internal sealed record DashboardRoute(string Verbs, string Path, EndpointMetadataCollection Metadata)
    {
        public bool Open => Metadata.GetMetadata<OpenWhileHeld>() is not null;
    }

    /// <summary>Every FastEndpoints endpoint of the dashboard (its types live under Nexus.Web.Dashboard), as routed.</summary>
    internal static IEnumerable<DashboardRoute> DashboardRoutes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<EndpointDefinition>()?.EndpointType.Namespace?.StartsWith("Nexus.Web.Dashboard.", StringComparison.Ordinal) == true)
            .Select(e => new DashboardRoute(
                string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []),
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata));
}
