using System.Net;
using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V1;

public sealed class ListTests(NexusApp<ListTests> app) : IClassFixture<NexusApp<ListTests>>
{
    private const string Path = "/api/v1/notes";

    [Fact]
    public async Task Lists_the_orgs_notes_newest_first_with_total()
    {
        var org = await app.CreateOrgAsync();
        var notes = await org.StoreNotesAsync(3);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Equal(["data", "total", "limit", "offset"], ApiAssert.Names(page));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(20, page.GetProperty("limit").GetInt32());
        Assert.Equal(0, page.GetProperty("offset").GetInt32());
        Assert.Equal(notes.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), Ids(page));
        var first = page.GetProperty("data")[0];
        Assert.Equal(["id", "title", "body", "created_at"], ApiAssert.Names(first));
    }

    [Fact]
    public async Task Another_orgs_notes_are_never_listed()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var mine = await org.StoreNoteAsync(Mode.Test);
        await other.StoreNotesAsync(5, Mode.Test);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Equal([mine.Id], Ids(page));
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(Mode.Test, Mode.Live)]
    [InlineData(Mode.Live, Mode.Test)]
    public async Task Notes_of_the_other_mode_are_never_listed(Mode keyMode, Mode otherMode)
    {
        var org = await app.CreateOrgAsync();
        var mine = await org.StoreNoteAsync(keyMode);
        await org.StoreNotesAsync(4, otherMode);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), keyMode);

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Equal([mine.Id], Ids(page));
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Offset_pages_cover_every_note_once()
    {
        var org = await app.CreateOrgAsync();
        var notes = await org.StoreNotesAsync(7);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var seen = new List<string>();
        for (var offset = 0; offset < 9; offset += 3)
        {
            var page = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?limit=3&offset={offset}"));
            Assert.Equal(3, page.GetProperty("limit").GetInt32());
            Assert.Equal(offset, page.GetProperty("offset").GetInt32());
            Assert.Equal(7, page.GetProperty("total").GetInt32());
            seen.AddRange(Ids(page));
        }

        Assert.Equal(notes.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("101")]
    [InlineData("2147483647")]
    public async Task A_huge_limit_is_capped_at_100(string limit)
    {
        var org = await app.CreateOrgAsync();
        await org.StoreNotesAsync(105);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?limit={limit}"));

        Assert.Equal(100, page.GetProperty("limit").GetInt32());
        Assert.Equal(100, page.GetProperty("data").GetArrayLength());
        Assert.Equal(105, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=x", "offset")]
    public async Task A_bad_page_parameter_is_parameter_invalid(string query, string param)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"{Path}?{query}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
    }

    [Fact]
    public async Task An_org_without_notes_gets_an_empty_page()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
}
