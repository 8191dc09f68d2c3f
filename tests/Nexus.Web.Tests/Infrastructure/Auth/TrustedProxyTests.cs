using System.Net;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// Over real Kestrel with the loopback peer configured as a trusted proxy: X-Forwarded-For now
/// names the client, and the allowlist is checked against that address.
/// </summary>
public sealed class TrustedProxyTests(TrustedProxyTests.App app) : IClassFixture<TrustedProxyTests.App>
{
    /// <summary>Kestrel must start before anything else touches the fixture.</summary>
    private readonly Uri _baseAddress = app.StartKestrel();

    public sealed class App : NexusApp<TrustedProxyTests>
    {
        public App() => Settings["Nexus:TrustedProxies"] = "127.0.0.1, 10.0.0.0/8";
    }

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.7")]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.7")]
    [InlineData("2001:db8::/32", "2001:db8::7")]
    // A client cannot smuggle an address in front of the proxy's: the rightmost untrusted entry counts.
    [InlineData("203.0.113.0/24", "198.51.100.1, 203.0.113.7")]
    // Several trusted hops (10.x is trusted too) are walked back to the client.
    [InlineData("203.0.113.0/24", "203.0.113.7, 10.1.2.3")]
    public async Task The_forwarded_client_address_is_checked_against_the_allowlist(string allowlist, string forwardedFor)
    {
        var client = await ClientWithAllowlistAsync(allowlist);

        await ApiAssert.OkAsync(await client.SendAsync(Forwarded(forwardedFor)));
    }

    [Theory]
    [InlineData("127.0.0.1/32", "203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.0/24", "203.0.113.7, 198.51.100.1", "198.51.100.1")]
    [InlineData("203.0.113.0/24", "2001:db8::7", "2001:db8::7")]
    public async Task A_forwarded_address_outside_the_allowlist_is_refused_even_from_the_proxy_itself(string allowlist, string forwardedFor, string named)
    {
        var client = await ClientWithAllowlistAsync(allowlist);

        var error = await ApiAssert.ErrorAsync(await client.SendAsync(Forwarded(forwardedFor)), HttpStatusCode.Forbidden, "ip_not_allowed");

        Assert.Contains(named, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Without_x_forwarded_for_the_proxy_peer_is_the_client()
    {
        var client = await ClientWithAllowlistAsync("127.0.0.1/32");

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    private static HttpRequestMessage Forwarded(string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private async Task<HttpClient> ClientWithAllowlistAsync(string allowlist)
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        Assert.True(IpAllowlist.TryParse([allowlist], out var canonical, out var error), error);
        key.AllowedIps = canonical;
        await using var session = app.Store.LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
        return new HttpClient { BaseAddress = _baseAddress }.WithKey(plaintext);
    }
}
