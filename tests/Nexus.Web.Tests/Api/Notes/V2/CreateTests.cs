using System.Net;
using System.Net.Http.Json;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;
using Create = Nexus.Web.Api.Notes.V2.Create;

namespace Nexus.Web.Tests.Api.Notes.V2;

public sealed class CreateTests(NexusApp<CreateTests> app) : IClassFixture<NexusApp<CreateTests>>
{
    private const string Path = "/api/v2/notes";

    [Fact]
    public async Task Creates_a_note_and_answers_201_with_its_location()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path,
            new Create.Request { Content = "Call Alice\nAbout the Q3 invoice.", Tags = ["billing", "q3", "billing"] });

        var note = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        Assert.Equal(["id", "object", "title", "content", "tags", "created_at", "updated_at"], ApiAssert.Names(note));
        var id = note.GetProperty("id").GetString()!;
        Assert.True(Ids.IsWellFormed(id, "note"), id);
        Assert.Equal("note", note.GetProperty("object").GetString());
        Assert.Equal("Call Alice", note.GetProperty("title").GetString());
        Assert.Equal("Call Alice\nAbout the Q3 invoice.", note.GetProperty("content").GetString());
        Assert.Equal(["billing", "q3"], note.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(note.GetProperty("created_at").GetDateTimeOffset(), note.GetProperty("updated_at").GetDateTimeOffset());
        Assert.Equal($"/api/v2/notes/{id}", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData(Mode.Test)]
    [InlineData(Mode.Live)]
    public async Task Stores_the_note_in_the_keys_org_and_mode(Mode mode)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), mode);

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = "Body", Title = "  Padded title  ", Tags = ["a-b_1"] });
        var id = (await ApiAssert.OkAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var stored = await org.LoadNoteAsync(id);
        Assert.NotNull(stored);
        Assert.Equal(org.Org.Id, stored.OrgId);
        Assert.Equal(mode, stored.Mode);
        Assert.Equal("Padded title", stored.Title);
        Assert.Equal("Body", stored.Body);
        Assert.Equal(["a-b_1"], stored.Tags);
    }

    [Fact]
    public async Task The_title_defaults_to_the_first_line_clipped_to_200_characters()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());
        var firstLine = new string('x', 300);

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = "\n  " + firstLine + "\r\nsecond line" });

        var note = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        Assert.Equal(firstLine[..200], note.GetProperty("title").GetString());
        Assert.Empty(note.GetProperty("tags").EnumerateArray());
    }

    [Theory]
    [InlineData("Call\tAlice\nabout the invoice", "Call Alice")]
    [InlineData("Call Alice\u2028about the invoice", "Call Alice")]
    [InlineData("Call Alice\vabout the invoice", "Call Alice")]
    [InlineData("Call\u001bAlice", "Call Alice")]
    public async Task A_title_taken_from_the_content_is_one_line_of_text(string content, string title)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var note = await ApiAssert.OkAsync(await client.PostAsJsonAsync(Path, new Create.Request { Content = content }), HttpStatusCode.Created);

        Assert.Equal(title, note.GetProperty("title").GetString());
        Assert.Equal(content, note.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_note_created_in_v2_reads_in_v1_as_title_and_body()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var created = await client.PostAsJsonAsync(Path, new Create.Request { Content = "Line one\nLine two", Tags = ["x"] });
        var id = (await ApiAssert.OkAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();

        var v1 = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/notes/{id}"));
        Assert.Equal("Line one", v1.GetProperty("title").GetString());
        Assert.Equal("Line one\nLine two", v1.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("""{"title":"t"}""", "content", "parameter_missing")]
    [InlineData("""{}""", "content", "parameter_missing")]
    [InlineData("""{"content":null}""", "content", "parameter_missing")]
    [InlineData("""{"content":"   "}""", "content", "parameter_missing")]
    [InlineData("""{"content":5}""", "content", "parameter_invalid")]
    [InlineData("""{"content":"c","title":5}""", "title", "parameter_invalid")]
    [InlineData("""{"content":"c","tags":"billing"}""", "tags", "parameter_invalid")]
    [InlineData("""{"content":"c","tags":[1]}""", "tags[0]", "parameter_invalid")]
    [InlineData("""{"content":"c","tags":["ok","Not Ok"]}""", "tags[1]", "parameter_invalid")]
    [InlineData("""{"content":"c","tags":[""]}""", "tags[0]", "parameter_invalid")]
    [InlineData("""{"content":"c","title":"Call\nAlice"}""", "title", "parameter_invalid")]
    [InlineData("""{"content":"c","title":"Call\tAlice"}""", "title", "parameter_invalid")]
    public async Task A_bad_field_is_rejected_naming_it_and_nothing_is_stored(string json, string param, string code)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(Path, NoteData.Json(json));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Fact]
    public async Task More_than_20_tags_are_rejected()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = "c", Tags = Enumerable.Range(0, 21).Select(i => $"t{i}").ToList() });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "tags");
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Fact]
    public async Task A_tag_over_40_characters_is_rejected()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = "c", Tags = [new string('t', 41)] });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "tags[0]");
    }

    [Fact]
    public async Task A_title_over_200_characters_is_rejected()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = "c", Title = new string('t', 201) });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "title");
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Fact]
    public async Task Content_over_50000_characters_is_rejected()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsJsonAsync(Path, new Create.Request { Content = new string('c', 50_001) });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "content");
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("org_id")]
    [InlineData("id")]
    [InlineData("mode")]
    [InlineData("object")]
    [InlineData("created_at")]
    [InlineData("body")]
    [InlineData("foo")]
    public async Task An_unknown_field_is_rejected_and_nothing_is_stored(string field)
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(Path, NoteData.Json(
            $$"""{"content":"c","{{field}}":"{{other.Org.Id}}"}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_unknown", field);
        Assert.Equal(0, await org.CountNotesAsync());
        Assert.Equal(0, await other.CountNotesAsync());
    }
}
