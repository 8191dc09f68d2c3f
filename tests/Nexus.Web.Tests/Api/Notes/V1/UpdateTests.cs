using System.Net;
using System.Net.Http.Json;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V1;

public sealed class UpdateTests(NexusApp<UpdateTests> app) : IClassFixture<NexusApp<UpdateTests>>
{
    [Fact]
    public async Task Replaces_title_and_body_and_returns_the_note()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Old", "Old body", "keep");
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsJsonAsync($"/api/v1/notes/{note.Id}", new { title = "New", body = "New body" });

        var body = await ApiAssert.OkAsync(response);
        Assert.Equal(["id", "title", "body", "created_at"], ApiAssert.Names(body));
        Assert.Equal(note.Id, body.GetProperty("id").GetString());
        Assert.Equal("New", body.GetProperty("title").GetString());
        Assert.Equal("New body", body.GetProperty("body").GetString());

        var stored = await org.LoadNoteAsync(note.Id);
        Assert.NotNull(stored);
        Assert.Equal("New", stored.Title);
        Assert.Equal("New body", stored.Body);
        Assert.Equal(["keep"], stored.Tags);
        Assert.Equal(org.Org.Id, stored.OrgId);
        Assert.Equal(Mode.Test, stored.Mode);
        Assert.Equal(note.CreatedAt.ToUnixTimeMilliseconds(), stored.CreatedAt.ToUnixTimeMilliseconds());
        Assert.True(stored.UpdatedAt > note.UpdatedAt);
    }

    [Fact]
    public async Task Another_orgs_note_is_resource_missing_and_unchanged()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var theirs = await other.StoreNoteAsync(Mode.Test, "Theirs", "Their body");
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsJsonAsync($"/api/v1/notes/{theirs.Id}", new { title = "Mine now", body = "x" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        await AssertUnchanged(other, theirs);
    }

    [Theory]
    [InlineData(Mode.Test, Mode.Live)]
    [InlineData(Mode.Live, Mode.Test)]
    public async Task A_note_of_the_other_mode_is_resource_missing_and_unchanged(Mode keyMode, Mode noteMode)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(noteMode, "Original", "Original body");
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), keyMode);

        var response = await client.PutAsJsonAsync($"/api/v1/notes/{note.Id}", new { title = "Changed", body = "x" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        await AssertUnchanged(org, note);
    }

    [Fact]
    public async Task A_note_that_does_not_exist_is_resource_missing_and_not_created()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsJsonAsync($"/api/v1/notes/{Ids.New("note")}", new { title = "T", body = "B" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(0, await org.CountNotesAsync());
    }

    [Theory]
    [InlineData("""{"body":"b"}""", "title")]
    [InlineData("""{"title":"t"}""", "body")]
    public async Task A_missing_field_is_parameter_missing_and_the_note_unchanged(string json, string param)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json(json));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_missing", param);
        await AssertUnchanged(org, note);
    }

    [Theory]
    [InlineData("""{"title":5,"body":"b"}""", "title")]
    [InlineData("""{"title":"t","body":false}""", "body")]
    public async Task A_field_of_the_wrong_type_is_parameter_invalid_and_the_note_unchanged(string json, string param)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json(json));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
        await AssertUnchanged(org, note);
    }

    [Fact]
    public async Task A_title_over_200_characters_is_rejected_and_the_note_unchanged()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsJsonAsync($"/api/v1/notes/{note.Id}", new { title = new string('t', 201), body = "b" });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "title");
        await AssertUnchanged(org, note);
    }

    [Theory]
    [InlineData("org_id")]
    [InlineData("id")]
    [InlineData("mode")]
    [InlineData("created_at")]
    [InlineData("foo")]
    public async Task Mass_assignment_is_rejected_and_changes_nothing(string field)
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var note = await org.StoreNoteAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json(
            $$"""{"title":"t","body":"b","{{field}}":"{{other.Org.Id}}"}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_unknown", field);
        await AssertUnchanged(org, note);
        Assert.Equal(0, await other.CountNotesAsync());
    }

    private static async Task AssertUnchanged(TestOrg owner, Note before)
    {
        var after = await owner.LoadNoteAsync(before.Id);
        Assert.NotNull(after);
        Assert.Equal(before.Title, after.Title);
        Assert.Equal(before.Body, after.Body);
        Assert.Equal(before.OrgId, after.OrgId);
        Assert.Equal(before.Mode, after.Mode);
        Assert.Equal(before.UpdatedAt.ToUnixTimeMilliseconds(), after.UpdatedAt.ToUnixTimeMilliseconds());
    }
}
