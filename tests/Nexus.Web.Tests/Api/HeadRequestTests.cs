using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// HEAD is GET without the body, on every route that takes GET, over real Kestrel (which is what
/// drops the body a HEAD response writes; the in-memory test server would pass it on).
/// </summary>
public sealed class HeadRequestTests(NexusApp<HeadRequestTests> app) : IClassFixture<NexusApp<HeadRequestTests>>
{
    public static TheoryData<string> GetRoutes() => new(ApiRoutes.All.Where(r => r.Method == "GET").Select(r => r.Path));

    [Theory]
    [MemberData(nameof(GetRoutes))]
    public async Task Head_answers_as_get_does_with_no_body(string path)
    {
        var (client, noteId) = await SetupAsync();
        var url = path.Replace("{id}", noteId);

        var get = await client.GetAsync(url);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.GetValues("X-RateLimit-Limit"), head.Headers.GetValues("X-RateLimit-Limit"));
        Assert.True(head.Headers.Contains("X-Request-Id"));
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_without_a_key_is_401_with_no_body()
    {
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v2/notes"));

        Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_on_a_route_without_get_is_405_naming_the_methods_it_takes()
    {
        var (client, noteId) = await SetupAsync();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/keys/{noteId}/roll"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal(["POST"], head.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_head_request_is_logged_as_head_and_the_logs_filter_on_it()
    {
        var (client, _) = await SetupAsync();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v2/notes"));
        var logged = await app.LoggedRequestAsync(ApiAssert.RequestId(head));
        var filtered = await client.GetAsync("/api/v1/request-logs?method=HEAD");

        Assert.Equal("HEAD", logged.Method);
        var data = (await ApiAssert.OkAsync(filtered)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([logged.Id], data.Select(d => d.GetProperty("id").GetString()));
    }

    private async Task<(HttpClient Client, string NoteId)> SetupAsync()
    {
        var address = app.StartKestrel(); // before anything else starts the in-memory server
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var client = await org.ClientWithKeyAsync(new HttpClient { BaseAddress = address }, scopes: [KeyScopes.AdminAll]);
        return (client, note.Id);
    }
}
