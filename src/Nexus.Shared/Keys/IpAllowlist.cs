using System.Net;

namespace Nexus.Shared.Keys;

/// <summary>
/// A key's IP allowlist: CIDR ranges (a bare address means just that address). Parsing and
/// matching use <see cref="IPNetwork"/>; this class adds the canonical form we store and the
/// IPv4-mapped IPv6 unwrapping that dual-stack sockets need.
/// </summary>
public static class IpAllowlist
{
    /// <summary>Parses every entry into its canonical CIDR text, or names the first bad one.</summary>
    public static bool TryParse(IEnumerable<string>? entries, out List<string> canonical, out string? error)
    {
        canonical = [];
        error = null;
        foreach (var raw in entries ?? [])
        {
            var entry = (raw ?? "").Trim();
            if (!TryParseOne(entry, out var network))
            {
                error = $"'{Truncate(entry)}' is not an IP address or CIDR range (like 203.0.113.0/24 or 2001:db8::/32).";
                return false;
            }
            var text = network.ToString();
            if (!canonical.Contains(text)) canonical.Add(text);
        }
        if (canonical.Count > KeyRules.MaxAllowedIps)
        {
            error = $"At most {KeyRules.MaxAllowedIps} entries are allowed.";
            return false;
        }
        return true;
    }

    /// <summary>An empty list allows every address; otherwise the address must fall in one range.</summary>
    public static bool Allows(IReadOnlyCollection<string> allowlist, IPAddress? address)
    {
        if (allowlist.Count == 0) return true;
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var entry in allowlist)
            if (IPNetwork.TryParse(entry, out var network) && network.Contains(address)) return true;
        return false;
    }

    private static bool TryParseOne(string entry, out IPNetwork network)
    {
        network = default;
        if (entry.Length is 0 or > 64) return false;
        if (entry.Contains('/')) return IPNetwork.TryParse(entry, out network);
        // IPAddress.TryParse accepts "127.1" and "0x7f000001"; only dotted quads and IPv6 text are addresses here.
        if (!IPAddress.TryParse(entry, out var address) || !LooksCanonical(entry, address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    private static bool LooksCanonical(string entry, IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? entry.Contains(':')
            : entry.Split('.').Length == 4 && entry.All(c => char.IsAsciiDigit(c) || c == '.');

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
