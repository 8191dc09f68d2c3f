using System.Net;
using System.Net.Http.Json;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;
using Create = Nexus.Web.Api.Notes.V1.Create;

namespace Nexus.Web.Tests.Api.Notes.V1;

public sealed class CreateTests(NexusApp<CreateTests> app) : IClassFixture<NexusApp<CreateTests>>
{
    private const string Path = "/api/v1/notes";

    [Fact]
    public async Task Creates_a_note_and_answers_201_with_its_location()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = "Call Alice", Body = "About the Q3 invoice." });

        var note = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        Assert.Equal(["id", "title", "body", "created_at"], ApiAssert.Names(note));
        var id = note.GetProperty("id").GetString()!;
        Assert.True(Ids.IsWellFormed(id, "note"), id);
        Assert.Equal("Call Alice", note.GetProperty("title").GetString());
        Assert.Equal("About the Q3 invoice.", note.GetProperty("body").GetString());
        Assert.InRange(note.GetProperty("created_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal($"/api/v1/notes/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_location_answers_with_the_created_note()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var created = await client.PostAsJsonAsync(Path, new Create.Request { Title = "T", Body = "B" });
        var fetched = await ApiAssert.OkAsync(await client.GetAsync(created.Headers.Location));

        Assert.Equal((await ApiAssert.OkAsync(created, HttpStatusCode.Created)).GetRawText(), fetched.GetRawText());
    }

    [Theory]
    [InlineData(Mode.Test)]
    [InlineData(Mode.Live)]
    public async Task Stores_the_note_in_the_keys_org_and_mode(Mode mode)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), mode);

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = "Stored", Body = "" });
        var id = (await ApiAssert.OkAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var stored = await org.LoadNoteAsync(id);
        Assert.NotNull(stored);
        Assert.Equal(org.Org.Id, stored.OrgId);
        Assert.Equal(mode, stored.Mode);
        Assert.Equal("Stored", stored.Title);
        Assert.Equal("", stored.Body);
        Assert.Empty(stored.Tags);
        Assert.Equal(stored.CreatedAt, stored.UpdatedAt);
    }

    [Fact]
    public async Task A_title_of_exactly_200_characters_is_accepted()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = new string('t', 200), Body = "b" });

        await ApiAssert.OkAsync(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_title_over_200_characters_is_rejected_and_nothing_is_stored()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = new string('t', 201), Body = "b" });

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "title");
        Assert.Contains("200", error.GetProperty("message").GetString());
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("Call\nAlice")]
    [InlineData("Call\r\nAlice")]
    [InlineData("Call\tAlice")]
    [InlineData("Call\u007fAlice")]
    public async Task A_title_with_a_control_character_is_rejected_and_nothing_is_stored(string title)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = title, Body = "Multi-line\nbodies are fine." });

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "title");
        Assert.Equal("title must not contain line breaks, tabs or other control characters.", error.GetProperty("message").GetString());
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Fact]
    public async Task A_body_over_50000_characters_is_rejected()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Title = "t", Body = new string('b', 50_001) });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "body");
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("""{"body":"b"}""", "title")]
    [InlineData("""{"title":null,"body":"b"}""", "title")]
    [InlineData("""{"title":"t"}""", "body")]
    [InlineData("""{}""", "title")]
    public async Task A_missing_field_is_parameter_missing_naming_it(string json, string param)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(Path, NoteData.Json(json));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_missing", param);
        Assert.Contains(param, error.GetProperty("message").GetString());
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("""{"title":5,"body":"b"}""", "title")]
    [InlineData("""{"title":"t","body":["b"]}""", "body")]
    [InlineData("""{"title":{"text":"t"},"body":"b"}""", "title")]
    [InlineData("""{"title":true,"body":"b"}""", "title")]
    public async Task A_field_of_the_wrong_type_is_parameter_invalid_naming_it(string json, string param)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(Path, NoteData.Json(json));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("org_id")]
    [InlineData("id")]
    [InlineData("mode")]
    [InlineData("created_at")]
    [InlineData("foo")]
    public async Task An_unknown_field_is_rejected_and_nothing_is_stored(string field)
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(Path, NoteData.Json(
            $$"""{"title":"t","body":"b","{{field}}":"{{other.Org.Id}}"}"""));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_unknown", field);
        Assert.Contains(field, error.GetProperty("message").GetString());
        Assert.Equal(0, await org.CountNotesAsync());
        Assert.Equal(0, await other.CountNotesAsync());
    }
}
