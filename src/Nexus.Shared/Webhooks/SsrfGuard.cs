using System.Net;
using System.Net.Sockets;

namespace Nexus.Shared.Webhooks;

/// <summary>Why a webhook URL or address was refused.</summary>
public sealed record UrlProblem(string Code, string Message);

/// <summary>
/// Webhook URLs are chosen by whoever holds a key, so they must not reach the machine's own
/// network: loopback, private and link-local ranges (incl. cloud metadata at 169.254.169.254),
/// CGNAT, reserved, multicast and broadcast, and the IPv6 forms that embed such an IPv4 address
/// (mapped, compatible, translated, NAT64, 6to4, Teredo). URLs are checked when saved, and every address is
/// checked again when it is dialled (<see cref="ConnectAsync"/>), so DNS rebinding does not help.
/// A deployment may allow chosen private networks (<see cref="AllowedNetworks"/>), e.g. loopback
/// receivers in tests or a self-hoster's internal services.
/// </summary>
public sealed class SsrfGuard(IReadOnlyList<IPNetwork> allowedNetworks, bool allowHttp)
{
    public const string AllowedNetworksKey = "Nexus:Webhooks:AllowedPrivateNetworks";
    public const string AllowHttpKey = "Nexus:Webhooks:AllowHttp";

    public IReadOnlyList<IPNetwork> AllowedNetworks { get; } = allowedNetworks;
    public bool AllowHttp { get; } = allowHttp;

    /// <summary>Reads the policy from configuration values: a comma-separated CIDR list and a boolean.</summary>
    public static SsrfGuard FromSettings(string? allowedNetworks, bool allowHttp) =>
        new((allowedNetworks ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IPNetwork.Parse).ToList(), allowHttp);

    private static readonly IPNetwork[] BlockedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"), // 240/4 includes 255.255.255.255
    ];

    private static readonly IPNetwork[] BlockedV6 =
    [
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork V4Translated = IPNetwork.Parse("::ffff:0:0:0/96"); // SIIT (not ::ffff:0:0/96, which is IPv4-mapped)

    /// <summary>
    /// True when the allowlist lets webhooks reach loopback (127.0.0.1 or ::1). Then a
    /// <c>localhost</c> URL is accepted like <c>http://127.0.0.1</c>; it is still resolved and checked
    /// when dialled, so only a permitted loopback address is ever connected to.
    /// </summary>
    public bool PermitsLoopback => Permits(IPAddress.Loopback) || Permits(IPAddress.IPv6Loopback);

    /// <summary>True when <paramref name="address"/> may be dialled under this policy.</summary>
    public bool Permits(IPAddress address) => !IsBlocked(address) || IsAllowed(address);

    private bool IsAllowed(IPAddress address)
    {
        foreach (var network in AllowedNetworks)
            if (network.Contains(address) || (address.IsIPv4MappedToIPv6 && network.Contains(address.MapToIPv4()))) return true;
        return false;
    }

    /// <summary>True for every address that is not plainly public, whatever the allowlist says.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return BlockedV4.Any(n => n.Contains(address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;

        if (address.IsIPv4MappedToIPv6) return IsBlocked(address.MapToIPv4());
        if (BlockedV6.Any(n => n.Contains(address))) return true;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || V4Compatible.Contains(address) || V4Translated.Contains(address)) return IsBlocked(new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address)) return IsBlocked(new IPAddress(bytes.AsSpan(2, 4)));
        if (Teredo.Contains(address))
        {
            // Teredo carries the server's IPv4 in bytes 4–7 and the client's, inverted, in the last four.
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++) client[i] = (byte)~bytes[12 + i];
            return IsBlocked(new IPAddress(bytes.AsSpan(4, 4))) || IsBlocked(new IPAddress(client));
        }
        return false;
    }

    /// <summary>
    /// Checks a URL as it is saved: absolute http(s), https unless http is allowed, no user info,
    /// and a host that is not (and does not resolve to) a blocked address. A host name that
    /// cannot be resolved now is accepted; the connect-time check still applies when it is dialled.
    /// </summary>
    public async Task<UrlProblem?> CheckUrlAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url)) return new("url_invalid", "A URL is required.");
        if (url.Length > WebhookEndpoint.MaxUrlLength) return new("url_invalid", $"The URL is longer than {WebhookEndpoint.MaxUrlLength} characters.");
        // Uri.TryCreate reads past them, and the URL would be stored and shown with them (the dashboard trims its field).
        if (char.IsWhiteSpace(url[0]) || char.IsWhiteSpace(url[^1])) return new("url_invalid", "The URL must not start or end with spaces.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
            return new("url_invalid", "The URL must be an absolute http:// or https:// URL.");
        if (uri.Scheme == Uri.UriSchemeHttp && !AllowHttp)
            return new("url_invalid", "The URL must use https://. Plain http is allowed only when the deployment sets Nexus:Webhooks:AllowHttp.");
        if (uri.UserInfo.Length > 0)
            return new("url_invalid", "The URL must not contain a user name or password.");
        if (uri.Fragment.Length > 0) return new("url_invalid", "The URL must not contain a fragment (#…).");

        // A fully qualified name's trailing dot ("localhost.", "127.0.0.1.") names the same host.
        // Localhost names are loopback (RFC 6761) whatever a resolver says, so they are judged as loopback, not looked up.
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return PermitsLoopback ? null : Blocked(host);

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }
        return addresses.FirstOrDefault(a => !Permits(a)) is { } blocked ? Blocked(host, blocked) : null;
    }

    private static UrlProblem Blocked(string host, IPAddress? address = null) =>
        new("url_blocked", address is null || address.ToString() == host
            ? $"The URL's host {host} is a private, loopback or reserved address, which webhooks may not reach."
            : $"The URL's host {host} resolves to {address}, a private, loopback or reserved address, which webhooks may not reach.");

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses every
    /// blocked address, and connects to the first permitted one that answers.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var permitted = addresses.Where(Permits).ToArray();
        if (permitted.Length == 0)
            throw new BlockedAddressException(addresses.Length == 0
                ? $"{host} did not resolve to any address."
                : $"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, which webhooks may not reach.");

        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}

/// <summary>The target resolved only to addresses webhooks may not reach; nothing was sent.</summary>
public sealed class BlockedAddressException(string message) : Exception(message);
