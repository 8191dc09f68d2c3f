using Nexus.Shared.Keys;
using System.Net;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>Unknown versions, paths and methods, and the request id every answer carries.</summary>
public sealed class RoutingErrorsTests(NexusApp<RoutingErrorsTests> app) : IClassFixture<NexusApp<RoutingErrorsTests>>
{
    public static TheoryData<string, string> AllRoutes => ApiRoutes.AllRoutes();

    [Theory]
    [InlineData("/api/v9/notes")]
    [InlineData("/api/v0/notes/note_01jd4n6x9m3f8r2k7q5w0y1z3a")]
    [InlineData("/api/notes")]
    [InlineData("/api")]
    [InlineData("/api/V1/notes/x/y")]
    public async Task An_unknown_version_is_route_not_found_naming_the_supported_versions(string path)
    {
        var (_, _, client) = await SetupAsync();

        var response = await client.GetAsync(path);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "route_not_found");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("v1", message);
        Assert.Contains("v2", message);
    }

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/v2/notes/note_01jd4n6x9m3f8r2k7q5w0y1z3a/extra")]
    public async Task An_unknown_path_in_a_known_version_is_route_not_found(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "route_not_found");
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/notes/{id}")]
    [InlineData("DELETE", "/api/v1/notes")]
    [InlineData("PUT", "/api/v1/notes")]
    [InlineData("POST", "/api/v1/notes/{id}")]
    [InlineData("PUT", "/api/v2/notes/{id}")]
    [InlineData("DELETE", "/api/v2/notes/{id}")]
    [InlineData("PATCH", "/api/v2/notes")]
    public async Task A_method_the_route_does_not_take_is_405_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json("""{"title":"Changed"}""")));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains(method, error.GetProperty("message").GetString());
        Assert.NotEmpty(response.Content.Headers.Allow);
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task Every_response_carries_a_fresh_request_id_the_client_cannot_choose(string method, string path)
    {
        var (_, note, client) = await SetupAsync();
        var first = ApiRoutes.Request(method, path, note.Id);
        first.Headers.Add("X-Request-Id", "req_chosen_by_the_client");
        var second = ApiRoutes.Request(method, path, note.Id);

        var a = ApiAssert.RequestId(await client.SendAsync(first));
        var b = ApiAssert.RequestId(await client.SendAsync(second));

        Assert.NotEqual("req_chosen_by_the_client", a);
        Assert.NotEqual(a, b);
    }

    private async Task<(TestOrg Org, Note Note, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]); // every route's scope
        return (org, note, client);
    }
}
