using System.Net;
using System.Text.Json;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Versioning;

public sealed class DeprecationTests(NexusApp<DeprecationTests> app) : IClassFixture<NexusApp<DeprecationTests>>
{
    public static TheoryData<string, string> V1NoteRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Path.StartsWith("/api/v1/notes"))) data.Add(method, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(V1NoteRoutes))]
    public async Task Every_v1_notes_route_announces_its_deprecation_sunset_and_migration_guide(string method, string path)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var targets = await ApiRoutes.SeedAsync(org);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets));

        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal("@1795305600", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Wed, 30 Jun 2027 23:59:59 GMT", response.Headers.GetValues("Sunset").Single());
        var links = response.Headers.GetValues("Link").ToList();
        Assert.Contains(links, l => l.EndsWith("/docs/migrations/v1-to-v2>; rel=\"deprecation\"; type=\"text/html\""));
        Assert.Contains(links, l => l.EndsWith("/api/v2/notes>; rel=\"successor-version\""));
    }

    [Fact]
    public async Task Errors_from_a_deprecated_route_carry_the_headers_too()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var response = await client.GetAsync("/api/v1/notes/note_nope");
        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.True(response.Headers.Contains("Deprecation"));
    }

    [Theory]
    [InlineData("/api/v2/notes")]
    [InlineData("/api/v1/keys")]
    public async Task Current_routes_carry_no_deprecation_headers(string path)
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: ["admin:all"]);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Deprecation"));
        Assert.False(response.Headers.Contains("Sunset"));
    }

    [Fact]
    public async Task The_v1_document_marks_exactly_the_notes_operations_deprecated()
    {
        using var doc = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            {
                var deprecated = operation.Value.TryGetProperty("deprecated", out var d) && d.GetBoolean();
                Assert.True(deprecated == path.Name.StartsWith("/api/v1/notes"), $"{operation.Name} {path.Name}: deprecated={deprecated}");
            }
    }
}

public sealed class VersioningDocsTests(NexusApp<VersioningDocsTests> app) : IClassFixture<NexusApp<VersioningDocsTests>>
{
    [Fact]
    public async Task The_migration_guide_the_headers_link_to_is_served_with_the_dates_and_both_schemas()
    {
        var html = await app.CreateClient().GetStringAsync(Nexus.Web.Infrastructure.Versioning.Deprecation.NotesV1.GuidePath);
        Assert.Contains("Sunset: Wed, 30 Jun 2027 23:59:59 GMT", html);
        Assert.Contains("Deprecation: @1795305600", html);
        Assert.Contains("POST /api/v1/notes", html);
        Assert.Contains("POST /api/v2/notes", html);
        Assert.Contains("starting_after", html);
    }

    [Fact]
    public async Task The_changelog_page_renders_the_repository_changelog()
    {
        var response = await app.CreateClient().GetAsync("/docs/changelog");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1 id=\"api-changelog\">API changelog</h1>", html);
        Assert.Contains(">2026-11-23</h2>", html);
        Assert.Contains("href=\"/docs/migrations/v1-to-v2\"", html);
    }
}
