using System.Net;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// Over real Kestrel, where the client address is the TCP peer (127.0.0.1). No proxy is trusted
/// here, so X-Forwarded-For must change nothing, loopback included (ASP.NET Core's default would trust it).
/// </summary>
public sealed class IpAllowlistTests(NexusApp<IpAllowlistTests> app) : IClassFixture<NexusApp<IpAllowlistTests>>
{
    /// <summary>Kestrel must start before anything else touches the fixture.</summary>
    private readonly Uri _baseAddress = Start(app);

    /// <summary>
    /// A refused address counts as a failed authentication, and every request here comes from
    /// 127.0.0.1: the failure limit is raised so that it never answers in the allowlist's place.
    /// </summary>
    private static Uri Start(NexusApp<IpAllowlistTests> app)
    {
        app.Settings[Nexus.Web.Infrastructure.Auth.FailedAuthLimiter.LimitSetting] = "100000";
        return app.StartKestrel();
    }

    [Theory]
    [InlineData("127.0.0.1/32")]
    [InlineData("127.0.0.0/8")]
    [InlineData("203.0.113.0/24 127.0.0.1/32")]
    public async Task A_request_from_an_allowed_address_is_accepted(string allowlist)
    {
        var (client, _) = await ClientWithAllowlistAsync(allowlist.Split(' '));

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    [Theory]
    [InlineData("203.0.113.0/24")]
    [InlineData("127.0.0.2/32")]
    [InlineData("::1/128")]
    [InlineData("2001:db8::/32")]
    public async Task A_request_from_outside_the_allowlist_is_ip_not_allowed_naming_the_address(string allowlist)
    {
        var (client, key) = await ClientWithAllowlistAsync([allowlist]);

        var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v2/notes"), HttpStatusCode.Forbidden, "ip_not_allowed");

        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("127.0.0.1", message);
        Assert.Contains(key.Prefix, message);
    }

    [Theory]
    [MemberData(nameof(ApiRoutes.AllRoutes), MemberType = typeof(ApiRoutes))]
    public async Task A_refused_address_changes_nothing_on_any_route(string method, string path)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var (plaintext, key) = await org.CreateKeyAsync();
        await SetAllowlistAsync(key, ["203.0.113.0/24"]);
        using var client = new HttpClient { BaseAddress = _baseAddress }.WithKey(plaintext);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "ip_not_allowed");
        Assert.Empty(response.Headers.WwwAuthenticate);
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("203.0.113.7, 127.0.0.1")]
    [InlineData("::ffff:203.0.113.7")]
    public async Task X_forwarded_for_from_an_untrusted_peer_is_ignored(string forwardedFor)
    {
        var (client, _) = await ClientWithAllowlistAsync(["203.0.113.0/24"]);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.Add("X-Forwarded-For", forwardedFor);

        var error = await ApiAssert.ErrorAsync(await client.SendAsync(request), HttpStatusCode.Forbidden, "ip_not_allowed");

        Assert.Contains("127.0.0.1", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_key_without_an_allowlist_accepts_any_address()
    {
        var (client, _) = await ClientWithAllowlistAsync([]);

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    private async Task<(HttpClient Client, ApiKey Key)> ClientWithAllowlistAsync(string[] allowlist)
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        await SetAllowlistAsync(key, allowlist);
        return (new HttpClient { BaseAddress = _baseAddress }.WithKey(plaintext), key);
    }

    /// <summary>Stored the way KeyManager stores it: canonical CIDR text. Set before the key's first use, so no cached copy predates it.</summary>
    private async Task SetAllowlistAsync(ApiKey key, string[] allowlist)
    {
        Assert.True(IpAllowlist.TryParse(allowlist, out var canonical, out var error), error);
        key.AllowedIps = canonical;
        await using var session = app.Store.LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
    }
}
