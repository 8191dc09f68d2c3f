namespace Nexus.Web.Dashboard;

/// <summary>
/// Endpoint metadata: a route that a member held by an org's two-factor requirement may still reach
/// (<see cref="TwoFactorGate"/>), because it lets them comply or leave. Each such endpoint says so in its
/// own <c>Configure()</c>, next to its route, so a new route is held unless it opts out on purpose.
/// </summary>
public sealed class OpenWhileHeld
{
    public static readonly OpenWhileHeld Metadata = new();

    private OpenWhileHeld() { }
}

public static class OpenWhileHeldExtensions
{
    /// <summary>For <c>Options(b => b.OpenWhileHeld())</c> in an endpoint's <c>Configure()</c>.</summary>
    public static TBuilder OpenWhileHeld<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Dashboard.OpenWhileHeld.Metadata);
}
