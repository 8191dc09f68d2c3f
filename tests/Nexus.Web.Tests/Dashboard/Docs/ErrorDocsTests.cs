using System.Net;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Docs;

public sealed class ErrorDocsTests(NexusApp<ErrorDocsTests> app) : IClassFixture<NexusApp<ErrorDocsTests>>
{
    [Fact]
    public async Task The_error_list_links_every_code_without_signing_in()
    {
        var response = await DashboardClient.For(app).Http.GetAsync("/docs/errors");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.All(ErrorCatalog.All, e => Assert.Contains($"href=\"/docs/errors/{e.Code}\"", html));
    }

    [Fact]
    public async Task Every_code_has_a_page_with_its_title_type_status_and_advice()
    {
        var client = DashboardClient.For(app).Http;
        foreach (var error in ErrorCatalog.All)
        {
            var response = await client.GetAsync($"/docs/errors/{error.Code}");
            var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(error.Title, html);
            Assert.Contains(error.Type, html);
            Assert.Contains($">{error.Status}<", html);
            Assert.Contains(error.WhatToDo.Split('`')[0], html);
        }
    }

    [Fact]
    public async Task The_resource_missing_page_explains_the_other_mode_hint()
    {
        var response = await DashboardClient.For(app).Http.GetAsync("/docs/errors/resource_missing");
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No such customer: 'cus_…'.", html);
        Assert.Contains("a similar object exists in live mode, but a test mode key was used to make this request.", html);
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_page()
    {
        var response = await DashboardClient.For(app).Http.GetAsync("/docs/errors/no_such_code");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No error code", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_doc_url_of_an_api_error_leads_to_its_page()
    {
        var client = app.CreateClient();
        var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/notes"), HttpStatusCode.Unauthorized, "api_key_missing");

        var page = await client.GetAsync(new Uri(error.GetProperty("doc_url").GetString()!).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("No API key was sent", await page.Content.ReadAsStringAsync());
    }
}
