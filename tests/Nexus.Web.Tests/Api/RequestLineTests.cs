using System.Net;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// Odd request lines, over real Kestrel (the in-memory test server has no request-line limits):
/// a doubled slash and a URL over the API's limit answer with the error object, not a bare status.
/// </summary>
public sealed class RequestLineTests(NexusApp<RequestLineTests> app) : IClassFixture<NexusApp<RequestLineTests>>
{
    private HttpClient Client() => new() { BaseAddress = app.StartKestrel() };

    [Theory]
    [InlineData("//api/v2/notes", "/api/v2/notes")]
    [InlineData("/api/v1//notes", "/api/v1/notes")]
    public async Task A_doubled_slash_is_route_not_found_suggesting_the_path_meant(string path, string meant)
    {
        using var client = Client();

        // Absolute, so "//api" is not read as a host name.
        var response = await client.GetAsync(new Uri(client.BaseAddress!.GetLeftPart(UriPartial.Authority) + path));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "route_not_found");
        Assert.Contains($"did you mean {meant}?", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/v2/notes")]
    [InlineData("/api/v1/customers")]
    public async Task A_url_over_8_kb_is_414_with_the_error_object(string path)
    {
        using var client = Client();

        var response = await client.GetAsync($"{path}?starting_after={new string('a', 20 * 1024)}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestUriTooLong, "request_url_too_long");
        Assert.Contains("8,192", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_url_just_under_8_kb_is_read_and_judged_on_its_parameters()
    {
        using var client = Client();
        var path = "/api/v2/notes?starting_after=";

        var response = await client.GetAsync(path + new string('a', 8 * 1024 - path.Length));

        // No key: the request got past the URL check to authentication.
        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_missing");
    }
}
