using System.Net;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V1;

public sealed class DeleteTests(NexusApp<DeleteTests> app) : IClassFixture<NexusApp<DeleteTests>>
{
    [Fact]
    public async Task Deletes_the_note_and_confirms()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync();
        var kept = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var body = await ApiAssert.OkAsync(await client.DeleteAsync($"/api/v1/notes/{note.Id}"));

        Assert.Equal(["id", "deleted"], ApiAssert.Names(body));
        Assert.Equal(note.Id, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("deleted").GetBoolean());
        Assert.Null(await org.LoadNoteAsync(note.Id));
        Assert.NotNull(await org.LoadNoteAsync(kept.Id));
    }

    [Fact]
    public async Task A_deleted_note_is_gone_from_get_list_and_a_second_delete()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());
        await ApiAssert.OkAsync(await client.DeleteAsync($"/api/v1/notes/{note.Id}"));

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/notes/{note.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
        await ApiAssert.ErrorAsync(await client.DeleteAsync($"/api/v1/notes/{note.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
        var page = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/notes"));
        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Another_orgs_note_is_resource_missing_and_kept()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var theirs = await other.StoreNoteAsync(Mode.Test);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.DeleteAsync($"/api/v1/notes/{theirs.Id}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.NotNull(await other.LoadNoteAsync(theirs.Id));
    }

    [Theory]
    [InlineData(Mode.Test, Mode.Live)]
    [InlineData(Mode.Live, Mode.Test)]
    public async Task A_note_of_the_other_mode_is_resource_missing_and_kept(Mode keyMode, Mode noteMode)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(noteMode);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), keyMode);

        var response = await client.DeleteAsync($"/api/v1/notes/{note.Id}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.NotNull(await org.LoadNoteAsync(note.Id));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("note_01JD4N6X9M3F8R2K7Q5W0Y1Z3A")]
    public async Task A_malformed_id_is_resource_missing(string id)
    {
        var org = await app.CreateOrgAsync();
        await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.DeleteAsync($"/api/v1/notes/{id}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(1, await org.CountNotesAsync());
    }
}
