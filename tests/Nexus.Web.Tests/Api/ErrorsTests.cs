using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>Bad input on every route that takes a body, unknown routes and methods, and the error object itself.</summary>
public sealed class ErrorsTests(NexusApp<ErrorsTests> app) : IClassFixture<NexusApp<ErrorsTests>>
{
    public static TheoryData<string, string> WriteRoutes => ApiRoutes.WriteRoutes();

    public static TheoryData<string, string, string> MalformedBodies()
    {
        string[] bodies =
        [
            """{"title":""",
            """{title:"t"}""",
            """{"title":"t",}""",
            """{"title":"t"} {"title":"u"}""",
            """{"title":"t""",
            "not json",
            "<note><title>t</title></note>",
            "[]",
            "null",
            "\"just a string\"",
            "42",
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Method is "POST" or "PUT"))
            foreach (var body in bodies)
                data.Add(method, path, body);
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_is_body_invalid_json_and_changes_nothing(string method, string path, string body)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task An_empty_json_body_is_body_invalid_json_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json("")));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task No_body_and_no_content_type_is_415_asking_for_json(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Content = null;

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", error.GetProperty("message").GetString());
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task Deeply_nested_json_is_a_clean_400(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var body = """{"title":""" + new string('[', 5000) + new string(']', 5000) + "}";

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        // Rejected at the first '[' where a string belongs, long before the nesting could cost anything.
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "title");
        await AssertUnchangedAsync(org, note);
    }

    public static TheoryData<string, string, string> WrongContentTypes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Method is "POST" or "PUT"))
            foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html" })
                data.Add(method, path, type);
        return data;
    }

    [Theory]
    [MemberData(nameof(WrongContentTypes))]
    public async Task A_body_of_another_content_type_is_415_and_changes_nothing(string method, string path, string contentType)
    {
        var (org, note, client) = await SetupAsync();
        var json = path.StartsWith("/api/v1/") ? """{"title":"Changed","body":"Changed"}""" : """{"content":"Changed"}""";
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, content));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", error.GetProperty("message").GetString());
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task An_empty_body_declared_as_text_is_415(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, content));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task Without_a_key_a_bodyless_write_is_401_not_415(string method, string path)
    {
        var (_, note, _) = await SetupAsync();
        using var anonymous = app.CreateClient();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Content = null;

        var response = await anonymous.SendAsync(request);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_missing");
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_real_form_post_is_415(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "Changed", ["body"] = "Changed", ["content"] = "Changed" });

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, form));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_body_over_1_mb_is_413_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = path.StartsWith("/api/v1/") ? "title" : "content";
        var body = $$"""{"{{field}}":"{{new string('x', 1024 * 1024 + 1)}}"}""";

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_chunked_body_over_1_mb_is_413_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = path.StartsWith("/api/v1/") ? "title" : "content";
        var bytes = Encoding.UTF8.GetBytes($$"""{"{{field}}":"{{new string('x', 1024 * 1024 + 1)}}"}""");
        // No Content-Length: the limit must hold while the body streams in, not only when it is announced.
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, content));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await AssertUnchangedAsync(org, note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_body_just_under_1_mb_is_read_and_judged_on_its_fields(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = path.StartsWith("/api/v1/") ? "title" : "content";
        var body = $$"""{"{{field}}":"{{new string('x', 1000 * 1000)}}"}""";

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", field);
        await AssertUnchangedAsync(org, note);
    }

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
        await AssertUnchangedAsync(org, note);
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

    public static TheoryData<string, string> AllRoutes => ApiRoutes.AllRoutes();

    private async Task<(TestOrg Org, Note Note, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        return (org, note, client);
    }

    /// <summary>Nothing stored, nothing changed: the org still has exactly its one original note.</summary>
    private static async Task AssertUnchangedAsync(TestOrg org, Note note)
    {
        Assert.Equal(1, await org.CountNotesAsync());
        var after = await org.LoadNoteAsync(note.Id);
        Assert.NotNull(after);
        Assert.Equal(note.Title, after.Title);
        Assert.Equal(note.Body, after.Body);
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
