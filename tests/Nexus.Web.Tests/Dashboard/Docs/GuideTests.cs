using System.Net;
using System.Text.RegularExpressions;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Docs;

public sealed partial class GuideTests(NexusApp<GuideTests> app) : IClassFixture<NexusApp<GuideTests>>
{
    [Fact]
    public async Task The_docs_landing_page_covers_every_topic_in_every_language_without_an_account()
    {
        var response = await app.CreateClient().GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var section in new[] { "quickstart", "authentication", "rate-limits", "errors", "webhooks", "idempotency", "versioning" })
            Assert.Contains($"id=\"{section}\"", html);
        foreach (var language in new[] { ">curl<", ">C#<", ">Node.js<", ">Python<" })
            Assert.Contains(language, html);
        // Self-hosted: every script, stylesheet and image comes from the app itself. (Looking for the
        // text "cdn" instead failed whenever the page's random antiforgery token held those letters.)
        Assert.Empty(ForeignAsset().Matches(html).Select(m => m.Value));
    }

    [Fact]
    public async Task Every_link_on_the_landing_page_leads_somewhere()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var html = await client.GetStringAsync("/docs");
        var links = Href().Matches(html).Select(m => m.Groups[1].Value).Where(h => h.StartsWith('/')).Distinct().ToList();
        Assert.Contains("/docs/api/v2", links);
        Assert.Contains("/docs/webhooks/signatures", links);
        foreach (var link in links)
        {
            var status = (await client.GetAsync(link)).StatusCode;
            // Dashboard pages send a signed-out reader to log in; nothing is missing or broken.
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{link}: {(int)status}");
        }
    }

    [Fact]
    public async Task The_rate_limit_section_says_which_limits_a_refused_answer_shows_with_the_configured_figure()
    {
        var html = await app.CreateClient().GetStringAsync("/docs");

        Assert.Contains("Every answer carries these headers", html);
        Assert.Contains("failed-authentication limit of your address, 10 a minute", Regex.Replace(html, @"\s+", " "));
    }

    [GeneratedRegex("""<(?:script|link|img|source)\b[^>]*\b(?:src|href|srcset)="(?!/[^/])[^"]*""")]
    private static partial Regex ForeignAsset();

    [GeneratedRegex("""href="([^"#]+)""")]
    private static partial Regex Href();
}
