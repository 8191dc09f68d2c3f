namespace Nexus.Web.Dashboard.Shared;

/// <summary>
/// Endpoint metadata: a route whose content is the same in test and live mode (the Account page and
/// its forms). The layout shows no mode strip, badge or switch there, and a navigation to it with
/// <c>?mode=</c> does not change the remembered mode (<see cref="DashboardMode"/>): nothing on the page
/// shows which mode was chosen, so it must not quietly choose one for the next page.
/// </summary>
public sealed class ModeFree
{
    public static readonly ModeFree Metadata = new();

    private ModeFree() { }
}

public static class ModeFreeExtensions
{
    /// <summary>For <c>Options(b => b.ModeFree())</c> in an endpoint's <c>Configure()</c>.</summary>
    public static TBuilder ModeFree<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Shared.ModeFree.Metadata);
}
