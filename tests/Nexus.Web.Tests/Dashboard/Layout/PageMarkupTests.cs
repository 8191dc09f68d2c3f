using System.Net;
using AngleSharp.Html.Parser;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Layout;

/// <summary>
/// Every dashboard page is well-formed HTML. A browser repairs a stray end tag silently, by
/// closing the element it belongs to early, and what follows lands in another container: the
/// Settings sections once lost their spacing that way, with no error anywhere. An HTML5 parser in
/// strict mode reports what the browser would have repaired.
/// </summary>
public sealed class PageMarkupTests(NexusApp<PageMarkupTests> app) : IClassFixture<NexusApp<PageMarkupTests>>
{
    [Theory]
    [InlineData("/keys?mode=test")]
    [InlineData("/keys?mode=live")]
    [InlineData("/webhooks?mode=test")]
    [InlineData("/logs?mode=test")]
    [InlineData("/usage?mode=test")]
    [InlineData("/audit?mode=test")]
    [InlineData("/settings?mode=test")]
    [InlineData("/settings?mode=live")]
    [InlineData("/account?mode=test")]
    [InlineData("/account")]
    public async Task A_signed_in_page_parses_without_an_error(string path)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var response = await client.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertWellFormed(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/signup")]
    [InlineData("/docs/errors")]
    public async Task A_public_page_parses_without_an_error(string path)
    {
        var response = await DashboardClient.For(app).Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertWellFormed(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_stray_end_tag_is_caught()
    {
        Assert.Throws<HtmlParseException>(() => AssertWellFormed("<!DOCTYPE html><html><head><title>x</title></head><body><div><section></section></div></div><p>after</p></body></html>"));
    }

    private static void AssertWellFormed(string html)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsStrictMode = true });
        try
        {
            parser.ParseDocument(html);
        }
        catch (HtmlParseException e)
        {
            var line = html.Split('\n').ElementAtOrDefault(e.Position.Line - 1)?.Trim();
            throw new HtmlParseException(e.Code, $"{e.Message} at line {e.Position.Line}: {line}", e.Position);
        }
    }
}
