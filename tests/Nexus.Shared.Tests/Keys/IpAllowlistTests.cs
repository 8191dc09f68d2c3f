using System.Net;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class IpAllowlistTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData(" 203.0.113.7 ", "203.0.113.7/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:DB8::1", "2001:db8::1/128")]
    [InlineData("203.0.113.7/24", "203.0.113.0/24")] // host bits are dropped, and the stored form shows it
    [InlineData("::ffff:192.0.2.1", "192.0.2.1/32")]
    public void Entries_are_stored_in_canonical_cidr_form(string entry, string canonical)
    {
        Assert.True(IpAllowlist.TryParse([entry], out var parsed, out var error), error);
        Assert.Equal([canonical], parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("203.0.113.0/33")]
    [InlineData("300.1.1.1")]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("10.0.0.0/8; drop table")]
    public void Anything_that_is_not_an_address_or_range_is_refused_by_name(string entry)
    {
        Assert.False(IpAllowlist.TryParse(["198.51.100.1", entry], out _, out var error));
        Assert.Contains($"'{entry.Trim()}'", error);
    }

    [Fact]
    public void More_than_fifty_entries_are_refused()
    {
        var entries = Enumerable.Range(1, KeyRules.MaxAllowedIps + 1).Select(i => $"198.51.100.{i}");

        Assert.False(IpAllowlist.TryParse(entries, out _, out var error));
        Assert.Contains("50", error);
    }

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("::ffff:203.0.113.9", true)] // how a dual-stack socket reports an IPv4 client
    [InlineData("203.0.114.9", false)]
    [InlineData("2001:db8::5", true)]
    [InlineData("2001:db9::5", false)]
    public void An_address_is_allowed_when_it_falls_in_one_range(string address, bool allowed)
    {
        IReadOnlyCollection<string> list = ["203.0.113.0/24", "2001:db8::/32"];

        Assert.Equal(allowed, IpAllowlist.Allows(list, IPAddress.Parse(address)));
    }

    [Fact]
    public void An_empty_list_allows_everyone_and_a_list_refuses_an_unknown_address()
    {
        Assert.True(IpAllowlist.Allows([], IPAddress.Parse("198.51.100.1")));
        Assert.True(IpAllowlist.Allows([], null));
        Assert.False(IpAllowlist.Allows(["0.0.0.0/0"], null));
    }
}
