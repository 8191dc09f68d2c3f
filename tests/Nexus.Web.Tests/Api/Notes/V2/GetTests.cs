using System.Net;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V2;

public sealed class GetTests(NexusApp<GetTests> app) : IClassFixture<NexusApp<GetTests>>
{
    [Fact]
    public async Task Returns_the_note_in_snake_case()
    {
        var org = await app.CreateOrgAsync();
        var stored = await org.StoreNoteAsync(Mode.Live, "Call Alice", "Call Alice\nAbout the invoice.", "billing", "q3");
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live);

        var note = await ApiAssert.OkAsync(await client.GetAsync($"/api/v2/notes/{stored.Id}"));

        Assert.Equal(["id", "object", "title", "content", "tags", "created_at", "updated_at"], ApiAssert.Names(note));
        Assert.Equal(stored.Id, note.GetProperty("id").GetString());
        Assert.Equal("note", note.GetProperty("object").GetString());
        Assert.Equal("Call Alice", note.GetProperty("title").GetString());
        Assert.Equal("Call Alice\nAbout the invoice.", note.GetProperty("content").GetString());
        Assert.Equal(["billing", "q3"], note.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(stored.UpdatedAt.ToUnixTimeMilliseconds(), note.GetProperty("updated_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Another_orgs_note_is_resource_missing()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var theirs = await other.StoreNoteAsync(Mode.Test);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"/api/v2/notes/{theirs.Id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such note: '{theirs.Id}'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(Mode.Test, Mode.Live)]
    [InlineData(Mode.Live, Mode.Test)]
    public async Task A_note_of_the_other_mode_is_resource_missing_and_the_message_says_where_it_is(Mode keyMode, Mode noteMode)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(noteMode);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), keyMode);

        var response = await client.GetAsync($"/api/v2/notes/{note.Id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such note: '{note.Id}'; a similar object exists in {noteMode.ToWire()} mode, but a {keyMode.ToWire()} mode key was used to make this request.",
            error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("org_01jd4n6x9m3f8r2k7q5w0y1z3a")]
    [InlineData("note_01jd4n6x9m3f8r2k7q5w0y1z3")]
    [InlineData("note_01jd4n6x9m3f8r2k7q5w0y1z3a")]
    public async Task A_malformed_or_unknown_id_is_resource_missing(string id)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"/api/v2/notes/{id}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
    }
}
