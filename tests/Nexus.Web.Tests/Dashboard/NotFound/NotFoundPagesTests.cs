using System.Net;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.NotFound;

/// <summary>A browser that follows a dead link gets a page of Nexus's own; the API and htmx keep their answers.</summary>
public sealed class NotFoundPagesTests(NexusApp<NotFoundPagesTests> app) : IClassFixture<NexusApp<NotFoundPagesTests>>
{
    [Theory]
    [InlineData("/keys/nope")]
    [InlineData("/audit-log")]
    [InlineData("/docs/nope")]
    [InlineData("/webhooks/deliveries/dlv_06h0aaaaaaaaaaaaaaaaaaaaaa")]
    public async Task A_signed_in_browser_on_a_path_that_leads_nowhere_gets_the_not_found_page(string path)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var response = await client.Http.SendAsync(Navigate(path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1 class=\"mt-2 text-xl font-semibold tracking-tight text-gray-950\">Nothing here</h1>", html);
        Assert.Contains("href=\"/docs\"", html);
    }

    [Fact]
    public async Task A_signed_out_browser_gets_it_too()
    {
        var response = await app.CreateClient().SendAsync(Navigate("/docs/nope"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Nothing here", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_asset_keeps_its_empty_404()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/js/nope.js");
        request.Headers.Accept.ParseAdd("*/*");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    /// <summary>What a browser sends when it follows a link.</summary>
    private static HttpRequestMessage Navigate(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    [Fact]
    public async Task An_htmx_request_keeps_its_empty_404_and_the_api_its_error_object()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var htmx = await client.HtmxGetAsync("/webhooks/deliveries/dlv_06h0aaaaaaaaaaaaaaaaaaaaaa");
        var api = await app.CreateClient().GetAsync("/api/v1/nope");

        Assert.Equal(HttpStatusCode.NotFound, htmx.StatusCode);
        Assert.Empty(await htmx.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Contains("\"error\":", await api.Content.ReadAsStringAsync());
    }
}
