using Nexus.Shared.Common;
using Mode = Nexus.Shared.Common.Mode;

namespace Nexus.Web.Infrastructure.Bench;

/// <summary>
/// The benchmark's ceiling (<c>make bench</c>): with <c>Nexus:Bench:Ceiling=true</c> the app also
/// serves <c>GET /api/bench/notes/{id}</c> and <c>POST /api/bench/notes</c>, which run the v1 note
/// handlers' own load/store code for one org and mode taken from configuration, with no API-key
/// authentication, no rate limit and no request log. Everything else is as for <c>/api/v1/notes</c>:
/// they sit under <c>/api</c>, so the same middleware runs (request ids, error object, CORS, no
/// static-file probe), with the same query-string check and deprecation headers. Comparing the two
/// shows what those three steps cost. Off by default; refused in the Production environment,
/// because the routes are open to anyone who can reach the app.
/// </summary>
public static class BenchRoutes
{
    public const string CeilingSetting = "Nexus:Bench:Ceiling";
    public const string OrgSetting = "Nexus:Bench:OrgId";
    public const string ModeSetting = "Nexus:Bench:Mode";

    public static bool IsOn(IConfiguration config) => config.GetValue<bool>(CeilingSetting);

    public static WebApplicationBuilder AddNexusBench(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!IsOn(config)) return builder;

        if (builder.Environment.IsProduction())
            throw new InvalidOperationException($"{CeilingSetting} opens unauthenticated routes; it is for benchmarks only and refused in Production.");
        var orgId = config[OrgSetting];
        if (!Ids.IsWellFormed(orgId, "org"))
            throw new InvalidOperationException($"{CeilingSetting} needs {OrgSetting}: the org whose notes the ceiling routes read and write.");
        if (!ModeNames.TryParse(config[ModeSetting] ?? Mode.Live.ToWire(), out var mode))
            throw new InvalidOperationException($"{ModeSetting} must be live or test.");

        builder.Services.AddSingleton(new BenchTarget(orgId!, mode));
        return builder;
    }

    /// <summary>
    /// FastEndpoints discovers every endpoint class in the assembly; the ceiling's are left out of
    /// discovery (before anything is built from them) unless the setting is on.
    /// </summary>
    public static Func<Type, bool> DiscoveryFilter(IConfiguration config)
    {
        var on = IsOn(config);
        return type => on || !typeof(IBenchEndpoint).IsAssignableFrom(type);
    }
}

/// <summary>The org and mode the ceiling routes act for, in place of an API key's.</summary>
public sealed record BenchTarget(string OrgId, Mode Mode);

/// <summary>
/// The ceiling's routes: under /api like the real ones, with the v1 group's query-string check,
/// and without its API-key scheme; kept out of the API documents.
/// </summary>
internal sealed class BenchGroup : FastEndpoints.Group
{
    public BenchGroup() => Configure("api/bench", ep =>
    {
        ep.PreProcessor<Api.RejectUnknownQuery>(FastEndpoints.Order.Before);
        ep.Description(b => b.ExcludeFromDescription());
    });
}

/// <summary>Marks the ceiling's endpoints, so discovery can leave them out.</summary>
internal interface IBenchEndpoint;
