using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Tests.Dashboard;
using Nexus.Web.Tests.Dashboard.Team;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Http;

/// <summary>
/// With <c>Nexus:PublicUrl</c> set, every absolute link the app builds starts with it, whatever Host
/// header a request sent; without it, links follow the request; a value nobody meant stops the app.
/// </summary>
public sealed class PublicUrlTests : IClassFixture<NexusApp<PublicUrlTests>>
{
    private const string Configured = "https://nexus.example.test/platform";
    private readonly NexusApp<PublicUrlTests> _app;

    public PublicUrlTests(NexusApp<PublicUrlTests> app)
    {
        _app = app;
        app.Settings[PublicUrl.Setting] = Configured + "/";
    }

    private static HttpRequestMessage Get(string path, string host) => new(HttpMethod.Get, path) { Headers = { Host = host } };

    [Fact]
    public async Task An_error_links_its_docs_and_request_log_under_the_public_url_whatever_host_was_sent()
    {
        var org = await _app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(_app.CreateClient());

        var response = await client.SendAsync(Get("/api/v2/notes/note_nope", "attacker.example"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal($"{Configured}/docs/errors/resource_missing", error.GetProperty("doc_url").GetString());
        Assert.Equal($"{Configured}/logs/{error.GetProperty("request_id").GetString()}", error.GetProperty("request_log_url").GetString());
    }

    [Fact]
    public async Task Deprecation_links_start_with_the_public_url()
    {
        var org = await _app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(_app.CreateClient());

        var response = await client.SendAsync(Get("/api/v1/notes", "attacker.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [$"<{Configured}/docs/migrations/v1-to-v2>; rel=\"deprecation\"; type=\"text/html\"", $"<{Configured}/api/v2/notes>; rel=\"successor-version\""],
            response.Headers.GetValues("Link"));
    }

    [Fact]
    public async Task An_invitation_link_starts_with_the_public_url()
    {
        var (client, _, _) = await _app.OwnerAsync();

        var response = await client.InviteAsync(DashboardClient.NewEmail(), "Developer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"{Configured}/invitations/nxinv_", TeamSteps.ShownLink(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Without_it_links_follow_the_host_the_request_sent()
    {
        await using var unset = _app.SecondNode();
        unset.Settings[PublicUrl.Setting] = "";
        var org = await _app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(unset.CreateClient());

        var response = await client.SendAsync(Get("/api/v2/notes/note_nope", "nexus.internal:8080"));

        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("http://nexus.internal:8080/docs/errors/resource_missing", error.GetProperty("doc_url").GetString());
    }

    [Theory]
    [InlineData("nexus.example.com")]
    [InlineData("/platform")]
    [InlineData("ftp://nexus.example.com")]
    [InlineData("https://user:pw@nexus.example.com")]
    [InlineData("https://nexus.example.com/?a=1")]
    [InlineData("https://nexus.example.com/#top")]
    [InlineData("https://nexus.example.com/a b")]
    [InlineData("https://nexüs.example.com")]
    public void A_web_app_with_a_public_url_nobody_meant_does_not_start(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PublicUrl.From(Settings(value)));
        Assert.Contains(PublicUrl.Setting, error.Message);
        Assert.Contains($"\"{value}\"", error.Message);
    }

    [Fact]
    public async Task The_app_itself_refuses_to_start_with_one()
    {
        await using var misconfigured = _app.SecondNode();
        misconfigured.Settings[PublicUrl.Setting] = "nexus.example.com";

        var error = Assert.IsType<InvalidOperationException>(Record.Exception(() => misconfigured.Services));
        Assert.Contains(PublicUrl.Setting, error.Message);
    }

    [Theory]
    [InlineData("https://nexus.example.com", "https://nexus.example.com")]
    [InlineData("https://nexus.example.com/", "https://nexus.example.com")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("https://example.com/nexus/", "https://example.com/nexus")]
    [InlineData("  ", null)]
    public void A_link_is_the_url_without_its_trailing_slash_followed_by_the_path(string value, string? origin)
    {
        Assert.Equal(origin, PublicUrl.From(Settings(value))?.Origin);
    }

    private static IConfiguration Settings(string value) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(PublicUrl.Setting, value)]).Build();
}
