using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class ListTests(NexusApp<ListTests> app) : IClassFixture<NexusApp<ListTests>>
{
    private const string Path = "/api/v1/keys";

    [Fact]
    public async Task Lists_the_orgs_keys_of_the_callers_mode_newest_first_ten_per_page()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var other = await app.CreateOrgAsync("Other", Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient(), Mode.Live);
        var mine = new List<string> { adminKey.Id };
        for (var i = 0; i < 11; i++) mine.Add((await org.CreateKeyAsync(Mode.Live)).Key.Id);
        for (var i = 0; i < 3; i++) await org.CreateKeyAsync(Mode.Test);
        for (var i = 0; i < 3; i++) await other.CreateKeyAsync(Mode.Live);

        var page = await ApiAssert.OkAsync(await admin.GetAsync(Path));

        Assert.Equal(["object", "data", "has_more", "next_cursor"], ApiAssert.Names(page));
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(mine.OrderDescending(StringComparer.Ordinal).Take(10), KeyData.Ids(page));
        var (all, _) = await WalkAsync(admin, "limit=5");
        Assert.Equal(mine.OrderDescending(StringComparer.Ordinal), all);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(100)]
    public async Task Cursor_pages_walk_every_key_exactly_once(int limit)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());
        var ids = new List<string> { adminKey.Id };
        for (var i = 0; i < 8; i++) ids.Add((await org.CreateKeyAsync()).Key.Id);

        var (seen, pages) = await WalkAsync(admin, $"limit={limit}");

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), seen);
        Assert.Equal((9 + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task The_status_filter_returns_exactly_the_keys_in_that_status()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());
        var now = DateTimeOffset.UtcNow;
        var active = new[] { adminKey.Id, await StoreAsync(org, k => k.ExpiresAt = now.AddDays(30)), await StoreAsync(org, k => k.GraceEndsAt = now.AddDays(8)) };
        var expiring = new[] { await StoreAsync(org, k => k.ExpiresAt = now.AddDays(3)), await StoreAsync(org, k => (k.GraceEndsAt, k.ExpiresAt) = (now.AddHours(2), now.AddDays(60))) };
        var expired = new[] { await StoreAsync(org, k => k.ExpiresAt = now.AddMinutes(-1)), await StoreAsync(org, k => (k.GraceEndsAt, k.ExpiresAt) = (now.AddHours(-1), now.AddDays(60))) };
        var revoked = new[] { await StoreAsync(org, k => k.RevokedAt = now.AddDays(-1)), await StoreAsync(org, k => (k.RevokedAt, k.ExpiresAt) = (now.AddDays(-1), now.AddDays(-2))) };

        foreach (var (status, expected) in new[] { ("active", active), ("expiring", expiring), ("expired", expired), ("revoked", revoked) })
        {
            var (ids, _) = await WalkAsync(admin, $"status={status}&limit=1");
            Assert.Equal(expected.OrderDescending(StringComparer.Ordinal), ids);
            var page = await ApiAssert.OkAsync(await admin.GetAsync($"{Path}?status={status}"));
            Assert.All(page.GetProperty("data").EnumerateArray(), k => Assert.Equal(status, k.GetProperty("status").GetString()));
        }
    }

    [Fact]
    public async Task Listed_keys_show_usage_and_never_a_secret_or_hash()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (secret, key) = await org.CreateKeyAsync();

        var text = await (await admin.GetAsync(Path)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain(key.KeyHash, text);
        Assert.DoesNotContain("\"secret\":", text);
        Assert.DoesNotContain("hash", text);
        var listed = JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("id").GetString() == key.Id);
        Assert.Equal(key.Prefix, listed.GetProperty("prefix").GetString());
        Assert.Equal(0, listed.GetProperty("total_requests").GetInt64());
    }

    [Theory]
    [InlineData("limit=0", "parameter_invalid", "limit")]
    [InlineData("limit=101", "parameter_invalid", "limit")]
    [InlineData("limit=1000", "parameter_invalid", "limit")]
    [InlineData("limit=-1", "parameter_invalid", "limit")]
    [InlineData("limit=abc", "parameter_invalid", "limit")]
    [InlineData("status=deleted", "parameter_invalid", "status")]
    [InlineData("status=Active", "parameter_invalid", "status")]
    [InlineData("status=", "parameter_invalid", "status")]
    [InlineData("starting_after=garbage", "parameter_invalid", "starting_after")]
    [InlineData("starting_after=note_01jd4n6x9m3f8r2k7q5w0y1z3a", "parameter_invalid", "starting_after")]
    [InlineData("starting_after=key_%27%3B--", "parameter_invalid", "starting_after")]
    [InlineData("mode=live", "parameter_unknown", "mode")]
    [InlineData("org_id=org_01jd4n6x9m3f8r2k7q5w0y1z3a", "parameter_unknown", "org_id")]
    [InlineData("offset=10", "parameter_unknown", "offset")]
    [InlineData("Limit=5", "parameter_unknown", "Limit")]
    public async Task A_bad_or_unknown_query_parameter_is_a_400_naming_it(string query, string code, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());

        var response = await admin.GetAsync($"{Path}?{query}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
    }

    private static async Task<string> StoreAsync(TestOrg org, Action<ApiKey> configure)
    {
        var (_, key) = await org.CreateKeyAsync();
        configure(key);
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
        return key.Id;
    }

    /// <summary>Follows next_cursor to the end; fails rather than loops if the cursor does not advance.</summary>
    private static async Task<(List<string> Ids, int Pages)> WalkAsync(HttpClient client, string query)
    {
        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 1; pages < 100; pages++)
        {
            var url = cursor is null ? $"{Path}?{query}" : $"{Path}?{query}&starting_after={cursor}";
            var page = await ApiAssert.OkAsync(await client.GetAsync(url));
            var ids = KeyData.Ids(page);
            Assert.DoesNotContain(ids, seen.Contains);
            seen.AddRange(ids);
            if (!page.GetProperty("has_more").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
                return (seen, pages);
            }
            cursor = page.GetProperty("next_cursor").GetString();
            Assert.Equal(ids[^1], cursor);
        }
        throw new Xunit.Sdk.XunitException("pagination did not end");
    }
}
