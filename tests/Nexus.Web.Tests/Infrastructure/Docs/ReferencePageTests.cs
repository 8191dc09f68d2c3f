using System.Net;
using System.Text.RegularExpressions;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Docs;

/// <summary>The Scalar references at /docs/api/{version}: one page per version, everything from this origin.</summary>
public sealed partial class ReferencePageTests(NexusApp<ReferencePageTests> app) : IClassFixture<NexusApp<ReferencePageTests>>
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task The_reference_page_is_served_from_this_origin_only(string version)
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var redirect = await client.GetAsync($"/docs/api/{version}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        ApiAssert.RequestId(redirect);
        var page = await client.GetAsync(new Uri(new Uri("http://localhost/docs/api/"), redirect.Headers.Location!));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        ApiAssert.RequestId(page);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<title>Nexus API {version} reference</title>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("//", LoadedUrls(html).Select(u => u[..Math.Min(2, u.Length)]));
        // Scalar's own defaults would reach out at run time: fonts from its CDN, telemetry, its AI agent.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.DoesNotContain("http", page.Headers.GetValues("Content-Security-Policy").Single());

        var scripts = LoadedUrls(html).ToList();
        Assert.Contains("scalar.js", scripts);
        foreach (var src in scripts)
        {
            var asset = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, src));
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{src}: {(int)asset.StatusCode}");
            ApiAssert.RequestId(asset);
        }
    }

    [Theory]
    [InlineData("v1", "v2")]
    [InlineData("v2", "v1")]
    public async Task Each_versions_page_shows_its_own_document_only(string version, string other)
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync($"/docs/api/{version}/");

        Assert.Contains($"openapi/{version}.json", html);
        Assert.DoesNotContain($"openapi/{other}.json", html);
    }

    [Fact]
    public async Task The_bare_reference_path_opens_the_current_version()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var redirect = await client.GetAsync("/docs/api");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/docs/api/v2/", redirect.Headers.Location?.ToString());
    }

    /// <summary>What the page makes the browser fetch: script sources, stylesheet and icon links.</summary>
    private static IEnumerable<string> LoadedUrls(string html) =>
        SourceAttribute().Matches(html).Select(m => m.Groups["url"].Value);

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex SourceAttribute();
}
