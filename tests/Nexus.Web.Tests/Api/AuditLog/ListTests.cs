using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.AuditLog;

public sealed class ListTests(NexusApp<ListTests> app) : IClassFixture<NexusApp<ListTests>>
{
    private const string Path = "/api/v1/audit-log";

    [Fact]
    public async Task Filters_by_action_actor_target_and_time_and_pages_newest_first()
    {
        var clock = new TestClock(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (first, firstKey, _) = await org.AdminAsync(host.CreateClient());
        var (second, secondKey, _) = await org.AdminAsync(host.CreateClient());
        var a = (await org.CreateKeyAsync(name: "A")).Key.Id;
        var b = (await org.CreateKeyAsync(name: "B")).Key.Id;

        await ApiAssert.OkAsync(await first.PostJsonAsync($"/api/v1/keys/{a}", """{"name":"A1"}"""));          // day 0
        clock.Advance(TimeSpan.FromDays(1));
        await ApiAssert.OkAsync(await second.PostJsonAsync($"/api/v1/keys/{b}", """{"name":"B1"}"""));         // day 1
        clock.Advance(TimeSpan.FromDays(1));
        await ApiAssert.OkAsync(await first.PostAsync($"/api/v1/keys/{b}/roll", null), HttpStatusCode.Created); // day 2
        clock.Advance(TimeSpan.FromDays(1));
        await ApiAssert.OkAsync(await second.PostAsync($"/api/v1/keys/{a}/revoke", null));                    // day 3
        var all = (await org.AuditAsync()).OrderByDescending(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(4, all.Count);

        async Task<List<string>> Ids(string query)
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var page = await ApiAssert.OkAsync(await first.GetAsync($"{Path}?limit=1&{query}" + (cursor is null ? "" : $"&starting_after={cursor}")));
                seen.AddRange(KeyData.Ids(page));
                cursor = page.GetProperty("next_cursor").GetString();
                Assert.True(seen.Count < 10);
            } while (cursor is not null);
            return seen;
        }

        Assert.Equal(all.Select(e => e.Id), await Ids(""));
        Assert.Equal(all.Where(e => e.Action == AuditActions.KeyUpdated).Select(e => e.Id), await Ids("action=key.updated"));
        Assert.Equal(all.Where(e => e.ActorId == secondKey.Id).Select(e => e.Id), await Ids($"actor_id={secondKey.Id}"));
        Assert.Equal(all.Where(e => e.TargetId == b).Select(e => e.Id), await Ids($"target_id={b}"));
        Assert.Equal(all.Where(e => e.ActorId == firstKey.Id && e.TargetId == b).Select(e => e.Id), await Ids($"actor_id={firstKey.Id}&target_id={b}"));
        Assert.Equal(2, (await Ids("created_gte=2026-03-02T00:00:00Z&created_lt=2026-03-04")).Count);
        Assert.Equal(all.Take(2).Select(e => e.Id), await Ids("created_gte=2026-03-03T00:00:00Z"));
        Assert.Equal(all.Skip(3).Select(e => e.Id), await Ids("created_lt=2026-03-01T12:00:00.001Z"));
        Assert.Empty(await Ids("created_gte=2026-03-10"));
    }

    [Fact]
    public async Task Ten_entries_per_page_by_default()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());
        await StoreEntriesAsync(org, adminKey.Id, 12);

        var page = await ApiAssert.OkAsync(await admin.GetAsync(Path));

        Assert.Equal(["object", "data", "has_more", "next_cursor"], ApiAssert.Names(page));
        Assert.Equal(10, page.GetProperty("data").GetArrayLength());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(KeyData.Ids(page)[^1], page.GetProperty("next_cursor").GetString());
    }

    [Fact]
    public async Task Retrieves_one_entry_by_id()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());
        var entry = (await StoreEntriesAsync(org, adminKey.Id, 1))[0];

        var got = await ApiAssert.OkAsync(await admin.GetAsync($"{Path}/{entry.Id}"));

        Assert.Equal(entry.Id, got.GetProperty("id").GetString());
        Assert.Equal(entry.Action, got.GetProperty("action").GetString());
        Assert.Equal("203.0.113.7", got.GetProperty("ip").GetString());
    }

    [Theory]
    [InlineData("limit=0", "parameter_invalid", "limit")]
    [InlineData("limit=1000", "parameter_invalid", "limit")]
    [InlineData("limit=x", "parameter_invalid", "limit")]
    [InlineData("action=key.deleted", "parameter_invalid", "action")]
    [InlineData("action=", "parameter_invalid", "action")]
    [InlineData("actor_id=admin", "parameter_invalid", "actor_id")]
    [InlineData("actor_id=note_01jd4n6x9m3f8r2k7q5w0y1z3a", "parameter_invalid", "actor_id")]
    [InlineData("target_id=%27%20or%201%3D1", "parameter_invalid", "target_id")]
    [InlineData("starting_after=key_01jd4n6x9m3f8r2k7q5w0y1z3a", "parameter_invalid", "starting_after")]
    [InlineData("created_gte=yesterday", "parameter_invalid", "created_gte")]
    [InlineData("created_gte=1700000000", "parameter_invalid", "created_gte")]
    [InlineData("created_gte=03/01/2026", "parameter_invalid", "created_gte")]
    [InlineData("created_lt=2026-02-30", "parameter_invalid", "created_lt")]
    [InlineData("created_gte=2026-03-02&created_lt=2026-03-01", "parameter_invalid", "created_lt")]
    [InlineData("mode=live", "parameter_unknown", "mode")]
    [InlineData("created%5Bgte%5D=2026-03-01", "parameter_unknown", "created[gte]")]
    public async Task A_bad_or_unknown_query_parameter_is_a_400_naming_it(string query, string code, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());

        var response = await admin.GetAsync($"{Path}?{query}");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
    }

    public static TheoryData<string, string> WriteAttempts() => new()
    {
        { "POST", Path }, { "PUT", Path }, { "PATCH", Path }, { "DELETE", Path },
        { "POST", Path + "/{id}" }, { "PUT", Path + "/{id}" }, { "PATCH", Path + "/{id}" }, { "DELETE", Path + "/{id}" },
    };

    [Theory]
    [MemberData(nameof(WriteAttempts))]
    public async Task No_route_edits_or_deletes_entries(string method, string path)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());
        var entry = (await StoreEntriesAsync(org, adminKey.Id, 1))[0];
        var before = await org.SnapshotAsync();

        var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", entry.Id))
        {
            Content = NoteData.Json("""{"action":"key.created","ip":"10.0.0.1"}"""),
        });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    private static async Task<List<AuditEntry>> StoreEntriesAsync(TestOrg org, string actorKeyId, int count)
    {
        var entries = Enumerable.Range(0, count).Select(i => AuditEntry.For(org.Org.Id, Mode.Test,
            new AuditActor(AuditActor.ApiKeyType, actorKeyId, "nx_test_abcdef…", "203.0.113.7", Ids.New("req")),
            AuditActions.KeyUpdated, "api_key", actorKeyId, "admin", TimeProvider.System)).ToList();
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(entries.ToArray());
        await session.SaveChangesAsync();
        return entries;
    }
}
