using System.Net;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Http;

/// <summary>Browser code on any site can call the API with a (publishable) key; the cookie-based dashboard is not opened to other origins.</summary>
public sealed class ApiCorsTests(NexusApp<ApiCorsTests> app) : IClassFixture<NexusApp<ApiCorsTests>>
{
    [Fact]
    public async Task A_preflight_for_the_api_is_answered_without_a_key()
    {
        using var client = app.CreateClient();
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v2/notes");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        var response = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("authorization", Single(response, "Access-Control-Allow-Headers").ToLowerInvariant());
    }

    [Fact]
    public async Task A_cross_origin_read_with_a_publishable_key_works_and_exposes_the_rate_limit_headers()
    {
        var org = await app.CreateOrgAsync();
        using var client = app.CreateClient().WithKey((await org.CreateKeyAsync(kind: KeyKind.Publishable)).Plaintext);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.Add("Origin", "https://shop.example");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("X-RateLimit-Remaining", Single(response, "Access-Control-Expose-Headers"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Dashboard_pages_get_no_cors_headers()
    {
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static string Single(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "(none)";
}
