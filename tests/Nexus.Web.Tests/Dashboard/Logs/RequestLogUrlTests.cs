using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Logs;

public sealed class RequestLogUrlTests(NexusApp<RequestLogUrlTests> app) : IClassFixture<NexusApp<RequestLogUrlTests>>
{
    private Task WaitForLogAsync(string requestId) => app.LoggedRequestAsync(requestId);

    [Fact]
    public async Task An_api_errors_request_log_url_opens_that_request_for_the_orgs_members_and_no_one_else()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        using var api = app.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);

        var response = await api.PostJsonAsync("/api/v1/customers", """{"email":"not-an-email"}""");
        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "email");
        var requestId = ApiAssert.RequestId(response);
        var url = new Uri(error.GetProperty("request_log_url").GetString()!);
        Assert.Equal($"/logs/{requestId}", url.AbsolutePath);
        await WaitForLogAsync(requestId);

        var page = await client.Http.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"data-log-id=\"{requestId}\"", html);
        Assert.Contains("open=\"open\"", html);
        Assert.Contains("/api/v1/customers", html);

        // A member of another org gets the not-found page, not the request.
        var stranger = DashboardClient.For(app);
        await stranger.SignUpNewAsync("Other Org");
        var foreign = await stranger.Http.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(requestId + "\"", await foreign.Content.ReadAsStringAsync());
        // And someone signed out is sent to log in.
        var anonymous = await DashboardClient.For(app).Http.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Errors_of_requests_without_a_valid_key_have_no_request_log_url()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/notes");
        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_missing");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, error.GetProperty("request_log_url").ValueKind);
    }

    [Theory]
    [InlineData("req_nope")]
    [InlineData("req_06h0cjbgx5wt58ve8raftzsxsw")]
    public async Task An_unknown_or_malformed_request_id_is_a_404_page(string id)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync($"/logs/{id}")).StatusCode);
    }
}
