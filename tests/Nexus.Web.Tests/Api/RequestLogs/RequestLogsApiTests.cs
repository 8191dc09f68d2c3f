using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.RequestLogs;

public sealed class RequestLogsApiTests(NexusApp<RequestLogsApiTests> app) : IClassFixture<NexusApp<RequestLogsApiTests>>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_request_made_with_a_key_can_be_found_by_its_request_id()
    {
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());
        var missing = await client.GetAsync("/api/v2/notes/note_00000000000000000000000000");
        var requestId = ApiAssert.RequestId(missing);

        var log = await GetLogAsync(client, requestId);

        Assert.Equal(("request_log", requestId, 404, "resource_missing"),
            (log.GetProperty("object").GetString(), log.GetProperty("id").GetString(), log.GetProperty("status").GetInt32(), log.GetProperty("error_code").GetString()));
        Assert.Equal("/api/v2/notes/{id}", log.GetProperty("route").GetString());
        Assert.Equal("test", log.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task The_list_is_newest_first_and_pages_with_a_cursor()
    {
        var (org, client) = await OrgWithLogsAsync(25);

        var first = await ListAsync(client, "?limit=10");
        var second = await ListAsync(client, "?limit=10&starting_after=" + first.GetProperty("next_cursor").GetString());
        var third = await ListAsync(client, "?limit=10&starting_after=" + second.GetProperty("next_cursor").GetString());

        var ids = new[] { first, second, third }.SelectMany(p => p.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(25, ids.Count);
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.False(third.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Requests_logged_at_the_same_moment_page_without_gaps_or_repeats()
    {
        var org = await app.CreateOrgAsync();
        var logs = Enumerable.Range(0, 25).Select(_ => new RequestLog
        {
            Id = Ids.New("req"), OrgId = org.Org.Id, Mode = Mode.Test, KeyId = "key_00000000000000000000000000", KeyPrefix = "nx_test_abcdef",
            At = T0, Method = "GET", Route = "/api/v1/notes", Path = "/api/v1/notes", Status = 200,
        }).ToList();
        await org.Services.GetRequiredService<IDocumentStore>().BulkInsertDocumentsAsync(logs);
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(client, "?limit=10" + (cursor is null ? "" : "&starting_after=" + cursor));
            ids.AddRange(page.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);

        Assert.Equal(logs.Select(l => l.Id).OrderDescending(StringComparer.Ordinal), ids);
    }

    /// <summary>The cursor places the next page by its log's time, so it must be a log this key can list.</summary>
    [Fact]
    public async Task A_cursor_that_is_not_one_of_the_keys_logs_is_400()
    {
        var (org, client) = await OrgWithLogsAsync(3);
        var liveLog = (await StoreLogsAsync(org, 1, Mode.Live)).Single();
        var otherOrgLog = (await StoreLogsAsync(await app.CreateOrgAsync("Other"), 1, Mode.Test)).Single();

        foreach (var cursor in new[] { Ids.New("req"), liveLog.Id, otherOrgLog.Id })
        {
            var error = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/request-logs?starting_after=" + cursor),
                HttpStatusCode.BadRequest, "parameter_invalid", "starting_after");
            Assert.Contains("taken from next_cursor", error.GetProperty("message").GetString());
        }
    }

    [Theory]
    [InlineData("?status=4xx", 8)] // odd minutes, less the two 5xx
    [InlineData("?status=5xx", 2)]
    [InlineData("?status=2xx&method=POST", 2)] // minutes 6 and 16
    [InlineData("?path=/api/v1/notes", 20)]
    [InlineData("?path=/api/v2", 0)]
    [InlineData("?created_gte=2026-11-01T12:10:00Z", 10)]
    [InlineData("?created_gte=2026-11-01T12:05:00Z&created_lt=2026-11-01T12:10:00Z", 5)]
    // Another offset is the same instant (it was a 500: PostgreSQL's timestamptz takes UTC only).
    [InlineData("?created_gte=2026-11-01T07:10:00-05:00", 10)]
    [InlineData("?created_gte=2026-11-01T13:05:00%2B01:00&created_lt=2026-11-01T12:10:00Z", 5)]
    public async Task Filters_narrow_the_list(string query, int expected)
    {
        var (_, client) = await OrgWithLogsAsync(20);

        var page = await ListAsync(client, query + "&limit=100");

        Assert.Equal(expected, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task The_key_filter_keeps_one_keys_requests()
    {
        var (org, client) = await OrgWithLogsAsync(6);
        var keyId = (await ListAsync(client, "?limit=1")).GetProperty("data")[0].GetProperty("key_id").GetString();

        var page = await ListAsync(client, $"?key_id={keyId}&limit=100");

        Assert.Equal(3, page.GetProperty("data").GetArrayLength());
        Assert.All(page.GetProperty("data").EnumerateArray(), l => Assert.Equal(keyId, l.GetProperty("key_id").GetString()));
    }

    [Fact]
    public async Task Another_orgs_or_modes_logs_are_invisible()
    {
        var (other, _) = await OrgWithLogsAsync(3);
        var liveLog = await StoreLogsAsync(other, 1, Mode.Live);
        var (_, client) = await OrgWithLogsAsync(2);

        var page = await ListAsync(client, "?limit=100");
        Assert.Equal(2, page.GetProperty("data").GetArrayLength());
        var response = await client.GetAsync($"/api/v1/request-logs/{liveLog[0].Id}");
        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");

        using var otherLive = await other.ClientWithKeyAsync(app.CreateClient(), Mode.Live);
        var own = await ListAsync(otherLive, "?limit=100");
        Assert.Equal([liveLog[0].Id], own.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_key_without_read_logs_is_refused()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, _) = await org.CreateKeyAsync(scopes: [KeyScopes.WriteNotes]);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);

        var response = await client.GetAsync("/api/v1/request-logs");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.Contains("read:logs", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?status=404", "status")]
    [InlineData("?status=6xx", "status")]
    [InlineData("?starting_after=note_00000000000000000000000000", "starting_after")]
    [InlineData("?key_id=nx_test_abc", "key_id")]
    [InlineData("?method=TRACE", "method")]
    [InlineData("?path=notes", "path")]
    [InlineData("?created_gte=yesterday", "created_gte")]
    [InlineData("?created_gte=2026-11-02T00:00:00Z&created_lt=2026-11-01T00:00:00Z", "created_lt")]
    // As loose as .NET's parser was, and the other lists never were.
    [InlineData("?created_gte=1.5", "created_gte")]
    [InlineData("?created_gte=12/31/2025", "created_gte")]
    [InlineData("?created_lt=2026-11-22%2010:00:00Z", "created_lt")]
    [InlineData("?created_lt=", "created_lt")]
    public async Task Bad_filters_are_400_naming_the_parameter(string query, string param)
    {
        var (_, client) = await OrgWithLogsAsync(1);

        var response = await client.GetAsync("/api/v1/request-logs" + query);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
    }

    [Fact]
    public async Task A_malformed_id_is_404()
    {
        var (_, client) = await OrgWithLogsAsync(1);

        var response = await client.GetAsync("/api/v1/request-logs/not-a-request-id");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
    }

    /// <summary>An org whose read:logs key sees <paramref name="count"/> stored logs: a minute apart from T0, two keys alternating, every second one a 4xx, two 5xx, the rest GETs and POSTs on notes.</summary>
    private async Task<(TestOrg Org, HttpClient Client)> OrgWithLogsAsync(int count)
    {
        var org = await app.CreateOrgAsync();
        await StoreLogsAsync(org, count, Mode.Test);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        return (org, client);
    }

    private static async Task<List<RequestLog>> StoreLogsAsync(TestOrg org, int count, Mode mode)
    {
        var logs = Enumerable.Range(0, count).Select(i => new RequestLog
        {
            Id = Ids.New("req", new TestClock(T0.AddMinutes(i))),
            OrgId = org.Org.Id, Mode = mode, KeyId = i % 2 == 0 ? "key_00000000000000000000000000" : "key_11111111111111111111111111",
            KeyPrefix = "nx_test_abcdef", At = T0.AddMinutes(i),
            Method = i % 5 == 1 ? "POST" : "GET", Route = "/api/v1/notes", Path = "/api/v1/notes",
            Status = i is 3 or 7 ? 500 : i % 2 == 1 ? 404 : (i % 5 == 1 ? 201 : 200),
        }).ToList();
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(logs.ToArray());
        await session.SaveChangesAsync();
        return logs;
    }

    private async Task<JsonElement> GetLogAsync(HttpClient client, string requestId)
    {
        for (var attempt = 0; ; attempt++)
        {
            await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(default);
            var response = await client.GetAsync($"/api/v1/request-logs/{requestId}");
            if (response.StatusCode == HttpStatusCode.OK) return await ApiAssert.OkAsync(response);
            Assert.True(attempt < 100, $"no request log for {requestId}");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await ApiAssert.OkAsync(await client.GetAsync("/api/v1/request-logs" + query));
}
