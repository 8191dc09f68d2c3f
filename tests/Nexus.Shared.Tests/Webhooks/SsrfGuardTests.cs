using System.Net;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>The address table of RELIABILITY.md, on addresses and on URLs as they are saved.</summary>
public sealed class SsrfGuardTests
{
    private static readonly SsrfGuard Strict = SsrfGuard.FromSettings(null, allowHttp: false);
    private static readonly SsrfGuard HttpAllowed = SsrfGuard.FromSettings(null, allowHttp: true);
    private static readonly SsrfGuard LoopbackAllowed = SsrfGuard.FromSettings("127.0.0.0/8", allowHttp: true);

    public static TheoryData<string> BlockedAddresses =>
    [
        // loopback and "this network"
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3",
        // RFC 1918
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
        // link-local, incl. cloud metadata
        "169.254.0.1", "169.254.169.254",
        // CGNAT, IETF protocol assignments, benchmarking, documentation
        "100.64.0.1", "100.127.255.255", "192.0.0.1", "192.0.0.170", "198.18.0.1", "198.19.255.255",
        "192.0.2.1", "198.51.100.1", "203.0.113.1",
        // multicast, reserved, broadcast
        "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IPv6: unspecified, loopback, link-local, unique local, site-local, multicast, documentation
        "::", "::1", "fe80::1", "febf:ffff::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "2001:db8::1",
        // IPv4 embedded in IPv6: mapped, compatible, NAT64, 6to4
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
        // IPv4-translated (SIIT, ::ffff:0:0:0/96)
        "::ffff:0:7f00:1", "::ffff:0:a9fe:a9fe",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::", "2002:a9fe:a9fe::1",
        // Teredo: server 127.0.0.1; client 127.0.0.1 (stored inverted: 80ff:fffe) behind a public server
        "2001:0:7f00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
    ];

    public static TheoryData<string> PublicAddresses =>
    [
        "93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001:80b::200e",
        // just outside the blocked ranges
        "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
        "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1", "192.167.255.255", "192.169.0.0",
        "198.17.255.255", "198.20.0.0", "223.255.255.255",
        // IPv4 embedded forms of public addresses
        "::ffff:93.184.215.14", "::ffff:0:808:808", "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
    ];

    [Theory]
    [MemberData(nameof(BlockedAddresses))]
    public void Private_loopback_and_reserved_addresses_are_blocked(string address)
    {
        Assert.True(SsrfGuard.IsBlocked(IPAddress.Parse(address)));
        Assert.False(Strict.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void Public_addresses_are_permitted(string address)
    {
        Assert.False(SsrfGuard.IsBlocked(IPAddress.Parse(address)));
        Assert.True(Strict.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::ffff:127.0.0.1")]
    public void The_allowlist_lets_loopback_through(string address) =>
        Assert.True(LoopbackAllowed.Permits(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("192.168.1.1")]
    [InlineData("0.0.0.0")]
    [InlineData("fe80::1")]
    public void The_allowlist_lets_nothing_else_through(string address) =>
        Assert.False(LoopbackAllowed.Permits(IPAddress.Parse(address)));

    [Fact]
    public void The_allowlist_setting_reads_a_list_of_networks()
    {
        var guard = SsrfGuard.FromSettings(" 127.0.0.0/8, 10.1.0.0/16;fd00::/8 ", allowHttp: false);

        Assert.Equal(3, guard.AllowedNetworks.Count);
        Assert.True(guard.Permits(IPAddress.Parse("10.1.2.3")));
        Assert.False(guard.Permits(IPAddress.Parse("10.2.0.1")));
        Assert.True(guard.Permits(IPAddress.Parse("fd00::5")));
        Assert.Empty(SsrfGuard.FromSettings("", false).AllowedNetworks);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://0.0.0.0/")]
    [InlineData("https://10.1.2.3/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://100.64.0.1/")]
    [InlineData("https://192.0.0.8/")]
    [InlineData("https://198.18.0.1/")]
    [InlineData("https://240.0.0.1/")]
    [InlineData("https://255.255.255.255/")]
    [InlineData("https://224.0.0.1/")]
    [InlineData("https://[::]/")]
    [InlineData("https://[::1]:8443/hook")]
    [InlineData("https://[fe80::1]/")]
    [InlineData("https://[fc00::1]/")]
    [InlineData("https://[::ffff:127.0.0.1]/")]
    [InlineData("https://[::ffff:7f00:1]/")]
    [InlineData("https://[64:ff9b::7f00:1]/")]
    [InlineData("https://[2002:7f00:1::]/")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/")]
    // odd encodings of 127.0.0.1
    [InlineData("https://2130706433/")]
    [InlineData("https://0x7f000001/")]
    [InlineData("https://0177.0.0.1/")]
    [InlineData("https://127.1/")]
    [InlineData("https://0x7f.0.0.1/")]
    [InlineData("https://017700000001/")]
    [InlineData("https://127.0.0.1./")]
    // names
    [InlineData("https://localhost/")]
    [InlineData("https://LOCALHOST:5080/")]
    [InlineData("https://localhost./")]
    [InlineData("https://api.localhost/")]
    public async Task Urls_that_reach_blocked_addresses_are_refused_at_save_time(string url)
    {
        var problem = await Strict.CheckUrlAsync(url, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Equal("url_blocked", problem.Code);
    }

    [Theory]
    [InlineData("http://user@93.184.215.14/")]
    [InlineData("https://user:pass@93.184.215.14/")]
    [InlineData("https://user@127.0.0.1/")]
    public async Task Urls_with_user_info_are_refused(string url)
    {
        var problem = await HttpAllowed.CheckUrlAsync(url, CancellationToken.None);

        Assert.Equal("url_invalid", problem?.Code);
        Assert.Contains("user name", problem!.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://93.184.215.14/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://93.184.215.14/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://93.184.215.14/#fragment")]
    public async Task Urls_that_are_not_absolute_http_or_https_are_refused(string? url)
    {
        var problem = await HttpAllowed.CheckUrlAsync(url, CancellationToken.None);

        Assert.Equal("url_invalid", problem?.Code);
    }

    [Fact]
    public async Task Urls_longer_than_the_limit_are_refused()
    {
        var url = "https://93.184.215.14/" + new string('a', WebhookEndpoint.MaxUrlLength);

        Assert.Equal("url_invalid", (await Strict.CheckUrlAsync(url, CancellationToken.None))?.Code);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_the_deployment_allows_it()
    {
        var refused = await Strict.CheckUrlAsync("http://93.184.215.14/hook", CancellationToken.None);

        Assert.Equal("url_invalid", refused?.Code);
        Assert.Contains("https://", refused!.Message);
        Assert.Null(await HttpAllowed.CheckUrlAsync("http://93.184.215.14/hook", CancellationToken.None));
    }

    [Theory]
    [InlineData("https://93.184.215.14/hook")]
    [InlineData("https://93.184.215.14:8443/hooks/nexus?x=1")]
    [InlineData("https://[2606:4700::1111]/hook")]
    [InlineData("https://8.8.8.8/")]
    public async Task Public_urls_are_accepted(string url) =>
        Assert.Null(await Strict.CheckUrlAsync(url, CancellationToken.None));

    [Theory]
    [InlineData("http://127.0.0.1:56299/hook")]
    [InlineData("http://127.0.0.2/")]
    [InlineData("http://2130706433/")]
    public async Task The_allowlist_lets_loopback_urls_through(string url) =>
        Assert.Null(await LoopbackAllowed.CheckUrlAsync(url, CancellationToken.None));

    [Theory]
    [InlineData("127.0.0.0/8", "http://localhost:56299/hook")]
    [InlineData("127.0.0.0/8", "http://LOCALHOST/")]
    [InlineData("127.0.0.0/8", "http://localhost./hook")]
    [InlineData("127.0.0.0/8", "http://api.localhost/")]
    [InlineData("127.0.0.1/32", "http://localhost:9000/hooks")]
    [InlineData("::1/128", "http://localhost:9000/hooks")]
    public async Task When_the_allowlist_permits_loopback_localhost_is_accepted_like_127_0_0_1(string allowed, string url) =>
        Assert.Null(await SsrfGuard.FromSettings(allowed, allowHttp: true).CheckUrlAsync(url, CancellationToken.None));

    [Theory]
    [InlineData(null, "http://localhost:9000/hooks")]
    [InlineData("10.0.0.0/8, 192.168.0.0/16", "http://localhost:9000/hooks")]
    [InlineData("127.0.0.2/32", "http://localhost/")] // another loopback address, not the one localhost names
    [InlineData("10.0.0.0/8", "http://api.localhost/")]
    public async Task Without_loopback_in_the_allowlist_localhost_is_refused_even_with_http_allowed(string? allowed, string url) =>
        Assert.Equal("url_blocked", (await SsrfGuard.FromSettings(allowed, allowHttp: true).CheckUrlAsync(url, CancellationToken.None))?.Code);

    [Theory]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[fe80::1]/")]
    public async Task The_allowlist_does_not_open_other_private_urls(string url) =>
        Assert.Equal("url_blocked", (await LoopbackAllowed.CheckUrlAsync(url, CancellationToken.None))?.Code);

    [Fact]
    public async Task The_refusal_names_the_host_but_says_nothing_of_the_network_beyond_it()
    {
        var problem = await Strict.CheckUrlAsync("https://169.254.169.254/latest/meta-data/iam", CancellationToken.None);

        Assert.Contains("169.254.169.254", problem!.Message);
        Assert.DoesNotContain("meta-data", problem.Message);
    }
}
