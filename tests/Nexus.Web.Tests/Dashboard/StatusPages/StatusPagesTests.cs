using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.StatusPages;

/// <summary>A browser that follows a dead link, or meets a failure, gets a page of Nexus's own; the API and htmx keep their answers.</summary>
public sealed class StatusPagesTests(NexusApp<StatusPagesTests> app) : IClassFixture<NexusApp<StatusPagesTests>>
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

    [Fact]
    public async Task A_failure_on_a_page_gets_the_error_page_with_the_request_id_and_nothing_of_the_exception()
    {
        await using var host = Failing();
        var client = DashboardClient.For(host);
        await client.SignUpNewAsync();

        var response = await client.Http.SendAsync(Navigate(FailingPath));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong on our side", html);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Contains($"<code class=\"font-mono text-sm text-gray-900\" id=\"request-id\">{requestId}</code>", html);
        Assert.DoesNotContain(SecretDetail, html);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_failure_on_an_htmx_request_is_a_bare_500_for_the_page_to_toast()
    {
        await using var host = Failing();
        var client = DashboardClient.For(host);
        await client.SignUpNewAsync();

        var response = await client.HtmxGetAsync(FailingPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    private const string FailingPath = "/fails-on-purpose";
    private const string SecretDetail = "detail-that-must-not-reach-the-page";

    /// <summary>The app with one more route at the end of the pipeline, which throws.</summary>
    private WebApplicationFactory<Program> Failing() => app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        s.AddTransient<IStartupFilter>(_ => new FailingRoute())));

    private sealed class FailingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(ctx => ctx.Request.Path == FailingPath ? throw new InvalidOperationException(SecretDetail) : Task.CompletedTask);
        };
    }
}
