using Nexus.Shared.Keys;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>Bad bodies on every route that takes one: malformed, empty, of another type, too large, wrong field types.</summary>
public sealed class BodyErrorsTests(NexusApp<BodyErrorsTests> app) : IClassFixture<NexusApp<BodyErrorsTests>>
{
    public static TheoryData<string, string> WriteRoutes => ApiRoutes.WriteRoutes();

    public static TheoryData<string, string, string> MalformedBodies()
    {
        // F is a field the route takes and V, W values it accepts, so the JSON is the only fault.
        string[] bodies =
        [
            """{"F":""",
            """{F:V}""",
            """{"F":V,}""",
            """{"F":V} {"F":W}""",
            """{"F":"t""",
            "not json",
            "<note><title>t</title></note>",
            "[]",
            "null",
            "\"just a string\"",
            "42",
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes)
        {
            var (field, value, other) = ApiRoutes.SampleField(method, path);
            foreach (var body in bodies)
                data.Add(method, path, body.Replace("F", field).Replace("V", value).Replace("W", other));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_is_body_invalid_json_and_changes_nothing(string method, string path, string body)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        await org.AssertUnchangedAsync(note);
    }

    /// <summary>
    /// Field names match regardless of case, so a second spelling of one (<c>"Title"</c> after
    /// <c>"title"</c>) is the same field given twice, and is named as documented, not as "Title.title".
    /// </summary>
    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_field_given_twice_is_body_invalid_json_naming_it_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var (field, value, other) = ApiRoutes.SampleField(method, path);

        foreach (var again in new[] { field, field.ToUpperInvariant() })
        {
            var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json($$"""{"{{field}}":{{value}},"{{again}}":{{other}}}""")));

            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json", field);
            Assert.Equal($"The request body is not valid JSON: {field} is given twice.", error.GetProperty("message").GetString());
            await org.AssertUnchangedAsync(note);
        }
    }

    [Theory]
    [InlineData("/api/v1/customers", """{"name":"Ada","metadata":{"plan":"a","plan":"b"}}""", "metadata.plan")]
    [InlineData("/api/v1/events", """{"type":"custom.ping","data":{"ok":true,"ok":false}}""", "data.ok")]
    public async Task A_key_given_twice_inside_a_field_is_body_invalid_json_naming_its_path(string path, string body, string param)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request("POST", path, note.Id, NoteData.Json(body)));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json", param);
        Assert.Equal($"The request body is not valid JSON: {param} is given twice.", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Fact]
    public async Task A_body_nested_deeper_than_32_levels_is_body_invalid_json_saying_so()
    {
        var (org, note, client) = await SetupAsync();
        var deep = new string('[', 40) + new string(']', 40);

        var response = await client.SendAsync(ApiRoutes.Request("POST", "/api/v1/events", note.Id, NoteData.Json($$"""{"type":"custom.ping","data":{{deep}}}""")));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json", "data");
        Assert.Equal("The request body is nested more than 32 levels deep (at data).", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(RoutesRequiringABody))]
    public async Task An_empty_json_body_where_one_is_needed_is_body_invalid_json_saying_so_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json("")));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        Assert.Equal("The request body is empty: this route takes a JSON object.", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string, string> RoutesWithAnOptionalBody()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => ApiRoutes.BodyOptional(r.Method, r.Path))) data.Add(method, path);
        return data;
    }

    /// <summary>
    /// Many clients send Content-Type: application/json on every POST; where the body is optional (roll,
    /// revoke, replay…), an empty one (or JSON's whitespace only) means no body, as it does on a GET.
    /// </summary>
    [Theory]
    [MemberData(nameof(RoutesWithAnOptionalBody))]
    public async Task A_json_content_type_with_an_empty_body_where_the_body_is_optional_answers_as_without_a_body(string method, string path)
    {
        foreach (var empty in new[] { "", " \r\n\t" })
        {
            var (_, plainNote, plainClient) = await SetupAsync();
            var (_, note, client) = await SetupAsync();
            var plainRequest = ApiRoutes.Request(method, path, plainNote.Id);
            plainRequest.Content = null;

            var plain = await plainClient.SendAsync(plainRequest);
            var withHeader = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(empty)));

            Assert.Equal(plain.StatusCode, withHeader.StatusCode);
            Assert.NotEqual(HttpStatusCode.BadRequest, withHeader.StatusCode);
        }
    }

    public static TheoryData<string, string> BodilessRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Method is "GET" or "DELETE")) data.Add(method, path);
        return data;
    }

    /// <summary>Many clients send Content-Type: application/json on every request; with no body it means nothing.</summary>
    [Theory]
    [MemberData(nameof(BodilessRoutes))]
    public async Task A_json_content_type_without_a_body_on_a_get_or_delete_answers_as_without_it(string method, string path)
    {
        var (_, plainNote, plainClient) = await SetupAsync();
        var (_, note, client) = await SetupAsync();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var plain = await plainClient.SendAsync(ApiRoutes.Request(method, path, plainNote.Id));
        var withHeader = await client.SendAsync(request);

        Assert.Equal(plain.StatusCode, withHeader.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadRequest, withHeader.StatusCode);
    }

    public static TheoryData<string, string> RoutesRequiringABody()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes.Where(r => !ApiRoutes.BodyOptional(r.Method, r.Path))) data.Add(method, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesRequiringABody))]
    public async Task No_body_and_no_content_type_is_415_asking_for_json(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Content = null;

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task Deeply_nested_json_is_a_clean_400(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = ApiRoutes.SampleField(method, path).Name;
        var body = $$"""{"{{field}}":""" + new string('[', 5000) + new string(']', 5000) + "}";

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        // Rejected at the first '[' where a string (or number) belongs, long before the nesting could cost anything.
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", field);
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string, string, string> WrongContentTypes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes)
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
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string, string, string, string?> MisdeclaredBodies()
    {
        var data = new TheoryData<string, string, string, string?>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes)
        {
            data.Add(method, path, "application/json; charset=latin1", null);
            data.Add(method, path, "application/json; charset=utf-16", null);
            data.Add(method, path, "application/json, text/plain", null);
            data.Add(method, path, "application/json", "gzip");
            data.Add(method, path, "application/json", "br");
        }
        return data;
    }

    /// <summary>Each was read as plain UTF-8 JSON whatever it said (or, as a list of types, not read at all).</summary>
    [Theory]
    [MemberData(nameof(MisdeclaredBodies))]
    public async Task A_body_declared_in_another_charset_or_encoding_or_as_several_types_is_415_and_changes_nothing(
        string method, string path, string contentType, string? encoding)
    {
        var (org, note, client) = await SetupAsync();
        var json = path.StartsWith("/api/v1/") ? """{"title":"Changed","body":"Changed"}""" : """{"content":"Changed"}""";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (encoding is not null) content.Headers.ContentEncoding.Add(encoding);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, content));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("application/json; charset=UTF-8", null)]
    [InlineData("application/json; charset=\"utf-8\"", null)]
    [InlineData("application/json", "identity")]
    public async Task Utf8_declared_either_way_and_the_identity_encoding_are_read(string contentType, string? encoding)
    {
        var (_, _, client) = await SetupAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"title":"Kept","body":""}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (encoding is not null) content.Headers.ContentEncoding.Add(encoding);

        await ApiAssert.OkAsync(await client.PostAsync("/api/v1/notes", content), HttpStatusCode.Created);
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
        await org.AssertUnchangedAsync(note);
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
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_body_over_1_mb_is_413_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = path.StartsWith("/api/v1/") ? "title" : "content";
        var body = $$"""{"{{field}}":"{{new string('x', 1024 * 1024 + 1)}}"}""";

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        // The message names the size sent and the limit, so the caller knows by how much to shrink it.
        Assert.Equal(FormattableString.Invariant($"The request body is {Encoding.UTF8.GetByteCount(body):N0} bytes; the API accepts at most 1,048,576 bytes (1 MB). Split the data or shorten the fields."),
            error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
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

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Contains("at most 1,048,576 bytes (1 MB)", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_body_just_under_1_mb_is_read_and_judged_on_its_fields(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var (field, value, _) = path.StartsWith("/api/v2/") ? ("content", "\"\"", "") : ApiRoutes.SampleField(method, path);
        // A string field gets a million characters; a number field a million digits.
        var huge = value.StartsWith('"') ? $"\"{new string('x', 1000 * 1000)}\"" : new string('9', 1000 * 1000);
        var body = $$"""{"{{field}}":{{huge}}}""";
        // Key settings are judged after the key is found, so this route needs a real id.
        var targets = await ApiRoutes.SeedAsync(org, noteId: note.Id);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets, NoteData.Json(body)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", field);
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string, string, string> JsonThatIsNotAnObject()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes)
        {
            var (field, value, _) = ApiRoutes.SampleField(method, path);
            foreach (var body in new[] { "[]", $$"""[{"{{field}}":{{value}}}]""", "\"just a string\"", "42", "true", "null" })
                data.Add(method, path, body);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(JsonThatIsNotAnObject))]
    public async Task Valid_json_that_is_not_an_object_is_told_the_body_must_be_an_object(string method, string path, string body)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json(body)));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        Assert.Equal("The request body must be a JSON object.", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string, string> RoutesWithAStringField()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes.Where(r => ApiRoutes.SampleField(r.Method, r.Path).Value.StartsWith('"')))
            data.Add(method, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesWithAStringField))]
    public async Task A_string_that_is_not_utf8_is_body_invalid_json_saying_so(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var field = ApiRoutes.SampleField(method, path).Name;
        byte[] body = [.. Encoding.UTF8.GetBytes($$"""{"{{field}}":"a"""), 0xff, 0xfe, .. "\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, content));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json");
        Assert.Equal($"The request body is not valid JSON: {field} holds bytes that are not UTF-8. Send JSON encoded as UTF-8.",
            error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("POST", "/api/v1/webhook-endpoints", """{"url":42}""", "url", "url must be a string.")]
    [InlineData("POST", "/api/v1/notes", """{"title":["a"],"body":"b"}""", "title", "title must be a string.")]
    [InlineData("PUT", "/api/v1/notes/{id}", """{"title":"t","body":{"text":"b"}}""", "body", "body must be a string.")]
    [InlineData("POST", "/api/v2/notes", """{"content":"c","tags":"billing"}""", "tags", "tags must be an array of strings.")]
    [InlineData("POST", "/api/v2/notes", """{"content":"c","tags":[1]}""", "tags[0]", "tags[0] must be a string.")]
    [InlineData("POST", "/api/v1/customers", """{"metadata":["a"]}""", "metadata", "metadata must be an object whose values are strings.")]
    [InlineData("POST", "/api/v1/customers/{id}", """{"metadata":{"crm_id":5}}""", "metadata.crm_id", "metadata.crm_id must be a string.")]
    [InlineData("POST", "/api/v1/keys", """{"rate_limit_per_minute":"ten"}""", "rate_limit_per_minute", "rate_limit_per_minute must be a whole number.")]
    [InlineData("POST", "/api/v1/keys", """{"expires_at":"tomorrow"}""", "expires_at", "expires_at must be an ISO 8601 time, like 2026-11-22T10:00:00Z.")]
    [InlineData("POST", "/api/v1/keys", """{"scopes":"read:notes"}""", "scopes", "scopes must be an array of strings.")]
    [InlineData("POST", "/api/v1/keys/{id}/roll", """{"grace_period_minutes":1.5}""", "grace_period_minutes", "grace_period_minutes must be a whole number.")]
    [InlineData("POST", "/api/v1/webhook-endpoints/{id}", """{"disabled":"yes"}""", "disabled", "disabled must be true or false.")]
    [InlineData("POST", "/api/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/hooks","retry_schedule":["1m"]}""", "retry_schedule[0]", "retry_schedule[0] must be a whole number.")]
    [InlineData("POST", "/api/v1/events", """{"type":{"name":"custom.a"}}""", "type", "type must be a string.")]
    public async Task A_field_of_the_wrong_type_is_told_the_type_it_must_be(string method, string path, string body, string param, string message)
    {
        var (org, note, client) = await SetupAsync();
        var targets = await ApiRoutes.SeedAsync(org, noteId: note.Id);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets, NoteData.Json(body)));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Equal(message, error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    private async Task<(TestOrg Org, Note Note, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]); // every route's scope
        return (org, note, client);
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
