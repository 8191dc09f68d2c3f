using System.Net;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V1;

public sealed class GetTests(NexusApp<GetTests> app) : IClassFixture<NexusApp<GetTests>>
{
    [Fact]
    public async Task Returns_the_note_in_snake_case()
    {
        var org = await app.CreateOrgAsync();
        var stored = await org.StoreNoteAsync(Mode.Test, "Call Alice", "About the invoice.", "billing");
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var note = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/notes/{stored.Id}"));

        // v1 shows no tags or update time: those arrived with v2.
        Assert.Equal(["id", "title", "body", "created_at"], ApiAssert.Names(note));
        Assert.Equal(stored.Id, note.GetProperty("id").GetString());
        Assert.Equal("Call Alice", note.GetProperty("title").GetString());
        Assert.Equal("About the invoice.", note.GetProperty("body").GetString());
        Assert.Equal(stored.CreatedAt.ToUnixTimeMilliseconds(), note.GetProperty("created_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Another_orgs_note_is_resource_missing()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var theirs = await other.StoreNoteAsync(Mode.Test);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"/api/v1/notes/{theirs.Id}");

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

        var response = await client.GetAsync($"/api/v1/notes/{note.Id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such note: '{note.Id}'; a similar object exists in {noteMode.ToWire()} mode, but a {keyMode.ToWire()} mode key was used to make this request.",
            error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_deleted_or_never_created_note_is_resource_missing()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"/api/v1/notes/{Ids.New("note")}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("key_01jd4n6x9m3f8r2k7q5w0y1z3a")]
    [InlineData("note_01JD4N6X9M3F8R2K7Q5W0Y1Z3A")]
    [InlineData("note_%27%20or%201%3D1--")]
    [InlineData("note_")]
    public async Task A_malformed_id_is_resource_missing(string id)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"/api/v1/notes/{id}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
    }

    [Fact]
    public async Task A_very_long_id_is_resource_missing_and_not_echoed_whole()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());
        var id = "note_" + new string('a', 2000);

        var response = await client.GetAsync($"/api/v1/notes/{id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.True(error.GetProperty("message").GetString()!.Length < 200);
    }
}
