using System.Net;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

public sealed class DashboardAccessTests(NexusApp<DashboardAccessTests> app) : IClassFixture<NexusApp<DashboardAccessTests>>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/keys")]
    [InlineData("/keys/table")]
    [InlineData("/webhooks")]
    [InlineData("/logs")]
    [InlineData("/usage")]
    [InlineData("/settings")]
    [InlineData("/settings/members")]
    [InlineData("/workers/status")]
    public async Task Dashboard_routes_without_a_session_redirect_to_login(string path)
    {
        var response = await DashboardClient.For(app).Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString);
    }

    [Fact]
    public async Task An_htmx_request_without_a_session_is_told_to_go_to_login()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/keys/table");
        request.Headers.Add("HX-Request", "true");

        var response = await DashboardClient.For(app).Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/login", response.Headers.GetValues("HX-Redirect").Single());
    }

    [Theory]
    [InlineData("/settings?tab=plan", "/settings?tab=plan")]
    [InlineData("https://evil.example/settings", "/")] // never a link to another site
    public async Task The_expired_form_page_leads_back_to_the_page_the_form_was_on(string referer, string expected)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/settings/plan") { Content = new FormUrlEncodedContent([new("plan", "pro")]) };
        request.Headers.Referrer = new Uri(client.Http.BaseAddress!, referer);

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<a href=\"{expected}\" class=\"btn btn-primary\">Open the page again</a>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Posts_without_the_antiforgery_token_are_rejected_and_store_nothing()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var form = await client.PostFormAsync("/keys", [new("name", "forged form"), new("mode", "test")], token: null);
        var htmx = new HttpRequestMessage(HttpMethod.Post, "/keys") { Content = new FormUrlEncodedContent([new("name", "forged htmx"), new("mode", "test")]) };
        htmx.Headers.Add("HX-Request", "true");
        var htmxResponse = await client.Http.SendAsync(htmx);
        var wrongToken = await client.HtmxPostAsync("/keys", [new("name", "forged token"), new("mode", "test")], "CfDJ8-not-a-real-token");
        var logout = await client.PostFormAsync("/logout", [], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, htmxResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        // A plain form post gets a page, htmx its short notice text.
        var page = await form.Content.ReadAsStringAsync();
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This form has expired", page);
        Assert.Contains("Nothing was changed.", page);
        Assert.Equal("text/plain", htmxResponse.Content.Headers.ContentType?.MediaType);
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<ApiKey>().AnyAsync(k => k.Name.StartsWith("forged")));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/keys")).StatusCode);
    }

    [Fact]
    public async Task A_tokenless_post_without_a_form_body_changes_nothing_either()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.CreateKeyAsync("bodiless")).StatusCode);
        var id = (await QueryKeyAsync("bodiless")).Id;

        var empty = await client.Http.PostAsync($"/keys/{id}/revoke", content: null);
        var json = await client.Http.PostAsync($"/keys/{id}/revoke", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var text = await client.Http.PostAsync($"/keys/{id}/revoke", new StringContent("x=1", System.Text.Encoding.UTF8, "text/plain"));

        Assert.All([empty, json, text], r => Assert.InRange((int)r.StatusCode, 400, 499));
        Assert.Null((await QueryKeyAsync("bodiless")).RevokedAt);
    }

    [Fact]
    public async Task Signup_and_login_forms_need_the_token_too()
    {
        var client = DashboardClient.For(app);
        var email = DashboardClient.NewEmail();

        var signup = await client.PostFormAsync("/signup",
            [new("email", email), new("password", DashboardClient.Password), new("org_name", "No Token Org")], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, signup.StatusCode);
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<Nexus.Shared.Accounts.User>().AnyAsync(u => u.Email == email));
    }

    private async Task<ApiKey> QueryKeyAsync(string name)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<ApiKey>().SingleAsync(k => k.Name == name);
    }
}
