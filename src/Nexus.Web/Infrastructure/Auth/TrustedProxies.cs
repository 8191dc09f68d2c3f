using Microsoft.AspNetCore.HttpOverrides;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// The client address is the TCP peer, unless that peer is one of the proxies listed in
/// <c>Nexus:TrustedProxies</c> (IP addresses or CIDR ranges, as a list or comma-separated):
/// only then is <c>X-Forwarded-For</c> read, walking back through trusted proxies to the first
/// address that is not one. Anyone else's <c>X-Forwarded-For</c> is ignored, since a client can
/// send whatever it likes there.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Nexus:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration config)
    {
        var entries = Read(config);
        if (!IpAllowlist.TryParse(entries, out var canonical, out var error))
            throw new InvalidOperationException($"{Setting}: {error}");

        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With no proxy configured the headers are not read at all: the middleware treats empty
            // KnownProxies and KnownIPNetworks as "trust every peer", not "trust none".
            o.ForwardedHeaders = canonical.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here nothing is trusted unless configured,
            // so a local client cannot claim another address.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var cidr in canonical) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
            // Walk back through every trusted hop (load balancer → reverse proxy → app), stopping at the first untrusted address.
            o.ForwardLimit = null;
        });
    }

    private static List<string> Read(IConfiguration config)
    {
        var section = config.GetSection(Setting);
        var list = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (section.Value is { } text) list.AddRange(text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries));
        return list;
    }
}
