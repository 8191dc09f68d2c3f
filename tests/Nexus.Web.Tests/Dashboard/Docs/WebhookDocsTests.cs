using System.Net;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Docs;

/// <summary>The public webhook docs: verifying signatures and the event catalog, linked from the docs header and the Webhooks page.</summary>
public sealed class WebhookDocsTests(NexusApp<WebhookDocsTests> app) : IClassFixture<NexusApp<WebhookDocsTests>>
{
    [Fact]
    public async Task The_signatures_page_is_public_and_gives_the_signed_string_headers_and_code_in_three_languages()
    {
        var response = await DashboardClient.For(app).Http.GetAsync("/docs/webhooks/signatures");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("{webhook-id}.{webhook-timestamp}.{raw body}", html);
        Assert.Contains("FixedTimeEquals", html);
        Assert.Contains("5 minutes", html);
        Assert.Contains("data-snippet=\"csharp\"", html);
        Assert.Contains("from &quot;standardwebhooks&quot;", html);
        Assert.Contains("from standardwebhooks.webhooks import Webhook", html);
        foreach (var header in new[] { "webhook-id", "webhook-timestamp", "webhook-signature", "X-Nexus-Signature", "X-Request-Id", "User-Agent" })
            Assert.Contains($"<code>{header}</code>", html);
        Assert.Contains("1 min, 5 min, 15 min", html);
        Assert.Contains("href=\"/docs/webhooks/events\"", html);
    }

    [Fact]
    public async Task The_events_page_lists_every_catalog_type_with_its_description_and_an_example_payload()
    {
        var html = await DashboardClient.For(app).Http.GetStringAsync("/docs/webhooks/events");

        foreach (var type in EventCatalog.All)
        {
            Assert.Contains($"id=\"{type.Name}\"", html);
            Assert.Contains($"&quot;type&quot;: &quot;{type.Name}&quot;", html);
        }
        Assert.Contains("custom.*", html);
    }

    [Fact]
    public async Task The_docs_header_and_the_webhooks_page_link_to_both_pages()
    {
        var client = DashboardClient.For(app);
        var errors = await client.Http.GetStringAsync("/docs/errors");
        Assert.Contains("href=\"/docs/webhooks/signatures\"", errors);

        await client.SignUpNewAsync();
        var webhooks = await client.Http.GetStringAsync("/webhooks");
        Assert.Contains("href=\"/docs/webhooks/signatures\"", webhooks);
        Assert.Contains("href=\"/docs/webhooks/events\"", webhooks);
    }
}
