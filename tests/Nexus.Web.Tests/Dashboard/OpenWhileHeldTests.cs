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
    [Fact]
    public void Exactly_the_account_logout_org_switch_and_invitation_routes_are_open_to_a_held_member()
    {
        var routes = DashboardRoute.All(app.Services);
        Assert.True(routes.Count > 50, $"only {routes.Count} dashboard routes found");

        // Where a held member can comply (Account) or leave (log out, switch org, join another by invitation).
        var wrong = routes
            .Where(r => r.Has<OpenWhileHeld>() != r.IsUnder("/account", "/logout", "/orgs/switch", "/invitations"))
            .Select(r => $"{r}: {(r.Has<OpenWhileHeld>() ? "marked but should be held" : "held but should be marked")}")
            .ToList();

        Assert.Empty(wrong);
        Assert.Contains(routes, r => r.Has<OpenWhileHeld>() && r.Path == "/account/2fa/enable");
        Assert.Contains(routes, r => !r.Has<OpenWhileHeld>() && r.Path == "/keys");
    }
}
