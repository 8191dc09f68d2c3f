using Nexus.Shared.Accounts;
using System.Net;
using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Notes.V2;

public sealed class ListTests(NexusApp<ListTests> app) : IClassFixture<NexusApp<ListTests>>
{
    private const string Path = "/api/v2/notes";

    [Fact]
    public async Task Lists_the_orgs_notes_newest_first()
    {
        var org = await app.CreateOrgAsync();
        var notes = await org.StoreNotesAsync(3);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Equal(["object", "data", "has_more", "next_cursor"], ApiAssert.Names(page));
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
        Assert.Equal(notes.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), Ids(page));
        Assert.Equal(["id", "object", "title", "content", "tags", "created_at", "updated_at"], ApiAssert.Names(page.GetProperty("data")[0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(23)]
    public async Task Cursor_pages_walk_every_note_exactly_once(int limit)
    {
        // A walk one note at a time takes 24 requests: more than the Free plan's 10 a minute.
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var notes = await org.StoreNotesAsync(23);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var (seen, pages) = await WalkAsync(client, $"limit={limit}");

        Assert.Equal(notes.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), seen);
        Assert.Equal((23 + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Notes_added_during_a_walk_do_not_shift_or_repeat_later_pages()
    {
        var org = await app.CreateOrgAsync();
        var notes = await org.StoreNotesAsync(10);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var first = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?limit=4"));
        await org.StoreNotesAsync(3);
        var (rest, _) = await WalkAsync(client, "limit=4", first.GetProperty("next_cursor").GetString());

        Assert.Equal(notes.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), Ids(first).Concat(rest));
    }

    [Fact]
    public async Task Another_orgs_and_the_other_modes_notes_are_never_listed()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var mine = await org.StoreNotesAsync(4, Mode.Live, tags: "shared");
        await org.StoreNotesAsync(4, Mode.Test, tags: "shared");
        await other.StoreNotesAsync(4, Mode.Live, tags: "shared");
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live);

        var (all, _) = await WalkAsync(client, "limit=3");
        var (tagged, _) = await WalkAsync(client, "limit=3&tag=shared");

        var expected = mine.Select(n => n.Id).OrderDescending(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, all);
        Assert.Equal(expected, tagged);
    }

    [Fact]
    public async Task A_test_key_never_sees_live_notes()
    {
        var org = await app.CreateOrgAsync();
        await org.StoreNotesAsync(3, Mode.Live);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Test);

        var page = await ApiAssert.OkAsync(await client.GetAsync(Path));

        Assert.Empty(Ids(page));
    }

    [Fact]
    public async Task The_tag_filter_returns_only_notes_with_that_tag()
    {
        var org = await app.CreateOrgAsync();
        var billing = await org.StoreNotesAsync(5, tags: ["billing", "q3"]);
        var q3Only = await org.StoreNotesAsync(2, tags: "q3");
        await org.StoreNotesAsync(3);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var (byBilling, _) = await WalkAsync(client, "limit=2&tag=billing");
        var (byQ3, _) = await WalkAsync(client, "tag=q3");
        var (byNothing, _) = await WalkAsync(client, "tag=nothing-has-this");

        Assert.Equal(billing.Select(n => n.Id).OrderDescending(StringComparer.Ordinal), byBilling);
        Assert.Equal(billing.Concat(q3Only).Select(n => n.Id).OrderDescending(StringComparer.Ordinal), byQ3);
        Assert.Empty(byNothing);
    }

    [Fact]
    public async Task A_huge_limit_is_capped_at_100()
    {
        var org = await app.CreateOrgAsync();
        await org.StoreNotesAsync(105);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var page = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?limit=100000"));

        Assert.Equal(100, page.GetProperty("data").GetArrayLength());
        Assert.True(page.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("starting_after=garbage", "starting_after")]
    [InlineData("starting_after=key_01jd4n6x9m3f8r2k7q5w0y1z3a", "starting_after")]
    [InlineData("starting_after=note_01JD4N6X9M3F8R2K7Q5W0Y1Z3A", "starting_after")]
    [InlineData("starting_after=note_%27%3B--", "starting_after")]
    [InlineData("tag=Not%20a%20tag", "tag")]
    [InlineData("tag=", "tag")]
    public async Task A_bad_query_parameter_is_parameter_invalid(string query, string param)
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.GetAsync($"{Path}?{query}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
    }

    /// <summary>Follows next_cursor to the end; fails rather than loops if the cursor does not advance.</summary>
    private static async Task<(List<string> Ids, int Pages)> WalkAsync(HttpClient client, string query, string? cursor = null)
    {
        var seen = new List<string>();
        var pages = 0;
        while (true)
        {
            var url = cursor is null ? $"{Path}?{query}" : $"{Path}?{query}&starting_after={cursor}";
            var page = await ApiAssert.OkAsync(await client.GetAsync(url));
            pages++;
            var ids = Ids(page);
            Assert.DoesNotContain(ids, seen.Contains);
            seen.AddRange(ids);
            if (!page.GetProperty("has_more").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
                return (seen, pages);
            }
            Assert.NotEmpty(ids);
            cursor = page.GetProperty("next_cursor").GetString();
            Assert.Equal(ids[^1], cursor);
            Assert.True(pages < 200, "pagination did not end");
        }
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
}
