using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.RequestLogs;

public sealed class RequestLogTests(NexusApp<RequestLogTests> app) : IClassFixture<NexusApp<RequestLogTests>>
{
    [Fact]
    public async Task A_successful_call_is_logged_with_who_what_and_how_long()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync(Mode.Live);
        var note = await org.StoreNoteAsync(Mode.Live);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("acme-billing/2.1");

        var response = await client.GetAsync($"/api/v1/notes/{note.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var log = await LogOfAsync(response);
        Assert.Equal((org.Org.Id, Mode.Live, key.Id, key.Prefix), (log.OrgId, log.Mode, log.KeyId, log.KeyPrefix));
        Assert.Equal(("GET", "/api/v1/notes/{id}", $"/api/v1/notes/{note.Id}", 200), (log.Method, log.Route, log.Path, log.Status));
        Assert.Equal("acme-billing/2.1", log.UserAgent);
        Assert.Null(log.ErrorCode);
        Assert.InRange(log.LatencyMs, 0.001, 60_000);
        Assert.InRange(log.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_error_is_logged_with_its_code()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, _) = await org.CreateKeyAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);

        var missing = await client.GetAsync("/api/v2/notes/note_00000000000000000000000000");
        var invalid = await client.PostAsync("/api/v1/notes", NoteData.Json("""{"title":1}"""));

        Assert.Equal((404, "resource_missing"), ((await LogOfAsync(missing)).Status, (await LogOfAsync(missing)).ErrorCode));
        var log = await LogOfAsync(invalid);
        Assert.Equal((400, "parameter_invalid"), (log.Status, log.ErrorCode));
    }

    /// <summary>
    /// These are refused before the endpoint's authentication runs (by routing, or by the guard at the
    /// edge), but a valid key made them: the org sees them, and their answers show the key's limits.
    /// </summary>
    [Fact]
    public async Task A_request_with_a_valid_key_refused_before_its_endpoint_is_logged_under_the_org()
    {
        var org = await app.CreateOrgAsync(plan: Nexus.Shared.Accounts.Plan.Pro);
        var (plaintext, key) = await org.CreateKeyAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);

        var notJson = await client.PostAsync("/api/v1/notes", new StringContent("title=x", System.Text.Encoding.UTF8, "text/plain"));
        var tooLarge = await client.PostAsync("/api/v1/notes", new ByteArrayContent(new byte[1024 * 1024 + 1]) { Headers = { ContentType = new("application/json") } });
        var noRoute = await client.GetAsync("/api/v1/nothing-here");
        var nul = await client.GetAsync("/api/v1/notes?limit=%00");
        var wrongMethod = await client.PatchAsync("/api/v1/keys/key_x/roll", null);

        // Routing gave none of these a route, but all except the unknown path name one: the log says which.
        foreach (var (response, status, code, param, route) in new[]
                 {
                     (notJson, 415, "unsupported_media_type", null, "/api/v1/notes"), (tooLarge, 413, "body_too_large", null, "/api/v1/notes"),
                     (noRoute, 404, "route_not_found", null, ""), (nul, 400, "parameter_invalid", "limit", "/api/v1/notes"),
                     (wrongMethod, 405, "method_not_allowed", null, "/api/v1/keys/{id}/roll"),
                 })
        {
            var error = await ApiAssert.ErrorAsync(response, (HttpStatusCode)status, code, param);
            Assert.EndsWith("/logs/" + ApiAssert.RequestId(response), error.GetProperty("request_log_url").GetString());
            var log = await LogOfAsync(response);
            Assert.Equal((org.Org.Id, key.Id, status, code, route), (log.OrgId, log.KeyId, log.Status, log.ErrorCode, log.Route));
            Assert.Equal("100", Assert.Single(response.Headers.GetValues("X-RateLimit-Limit")));
        }
    }

    /// <summary>A key the org was issued, refused: support needs to see who still uses it, and from where.</summary>
    [Fact]
    public async Task A_revoked_expired_or_out_of_allowlist_key_is_logged_under_its_org()
    {
        var org = await app.CreateOrgAsync();
        var (revokedKey, revoked) = await org.CreateKeyAsync();
        var (expiredKey, expired) = await org.CreateKeyAsync();
        var (elsewhereKey, elsewhere) = await org.CreateKeyAsync();
        await using (var session = app.Store.LightweightSession())
        {
            revoked.RevokedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            expired.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            elsewhere.AllowedIps = ["203.0.113.0/24"];
            session.Store(revoked, expired, elsewhere);
            await session.SaveChangesAsync();
        }
        using var client = app.CreateClient();

        foreach (var (plaintext, key, status, code) in new[]
                 {
                     (revokedKey, revoked, 401, "api_key_revoked"), (expiredKey, expired, 401, "key_expired"), (elsewhereKey, elsewhere, 403, "ip_not_allowed"),
                 })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
            var response = await client.GetAsync("/api/v1/notes");

            var error = await ApiAssert.ErrorAsync(response, (HttpStatusCode)status, code);
            Assert.EndsWith("/logs/" + ApiAssert.RequestId(response), error.GetProperty("request_log_url").GetString());
            var log = await LogOfAsync(response);
            Assert.Equal((org.Org.Id, key.Id, key.Prefix, status, code), (log.OrgId, log.KeyId, log.KeyPrefix, log.Status, log.ErrorCode));
            Assert.DoesNotContain(plaintext, JsonSerializer.Serialize(log));
        }
    }

    [Fact]
    public async Task Neither_the_key_nor_the_body_is_logged()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, _) = await org.CreateKeyAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
        var marker = "marker" + Guid.NewGuid().ToString("N")[..24]; // short enough to be a valid tag

        var post = await client.PostAsync("/api/v1/notes", NoteData.Json($$"""{"title":"{{marker}}","body":"{{marker}}"}"""));
        var get = await client.GetAsync("/api/v2/notes?tag=" + marker);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (post.StatusCode, get.StatusCode));
        foreach (var response in new[] { post, get })
        {
            var row = JsonSerializer.Serialize(await LogOfAsync(response));
            Assert.DoesNotContain(plaintext, row);
            Assert.DoesNotContain(plaintext[^30..], row);
            Assert.DoesNotContain(marker, row); // not the body, and not the query string either
        }
    }

    [Fact]
    public async Task Requests_without_a_valid_key_and_dashboard_pages_are_not_logged()
    {
        using var client = app.CreateClient();

        var noKey = await client.GetAsync("/api/v1/notes");
        var page = await client.GetAsync("/login");

        await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(default);
        await using var session = app.Store.QuerySession();
        Assert.Null(await session.LoadAsync<RequestLog>(ApiAssert.RequestId(noKey)));
        Assert.Null(await session.LoadAsync<RequestLog>(ApiAssert.RequestId(page)));
    }

    /// <summary>
    /// The dashboard's cookie names an org too, and a browser sends it along to /api. It is not an API
    /// key: such requests are nobody's API calls, so they are neither logged under the org nor spend its budgets.
    /// </summary>
    [Fact]
    public async Task A_dashboard_session_sent_to_the_api_is_not_taken_for_an_api_caller()
    {
        var dashboard = Nexus.Web.Tests.Dashboard.DashboardClient.For(app);
        await dashboard.SignUpNewAsync("Cookie Co");

        var noRoute = await dashboard.Http.GetAsync("/api/v1/nothing-here");
        var wrongMethod = await dashboard.Http.PatchAsync("/api/v1/keys/key_x/roll", null);
        var noKey = await dashboard.Http.GetAsync("/api/v1/notes");

        await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(default);
        await using var session = app.Store.QuerySession();
        foreach (var (response, status, code) in new[] { (noRoute, 404, "route_not_found"), (wrongMethod, 405, "method_not_allowed"), (noKey, 401, "api_key_missing") })
        {
            var error = await ApiAssert.ErrorAsync(response, (HttpStatusCode)status, code);
            Assert.Equal(JsonValueKind.Null, error.GetProperty("request_log_url").ValueKind);
            Assert.Null(await session.LoadAsync<RequestLog>(ApiAssert.RequestId(response)));
        }
    }

    [Fact]
    public async Task Stopping_writes_everything_still_queued_in_batches()
    {
        var queue = new RequestLogQueue(NullLogger<RequestLogQueue>.Instance);
        var writer = new RequestLogWriter(queue, app.Store, app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), new ConfigurationBuilder().Build(), NullLogger<RequestLogWriter>.Instance);
        var orgId = Ids.New("org");
        var count = RequestLogWriter.MaxBatch * 2 + 17;
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
            queue.Enqueue(new RequestLog { Id = Ids.New("req"), OrgId = orgId, At = at, Method = "GET", Path = "/api/v1/notes", Status = 200 });

        // The writer never ran: only the shutdown flush can write these.
        await writer.StopAsync(default);

        await using var session = app.Store.QuerySession();
        Assert.Equal(count, await session.Query<RequestLog>().CountAsync(l => l.OrgId == orgId));
        // Each batch wrote what it adds to usage with it: one increment per batch here (one key,
        // endpoint and hour), which together count every request once.
        var increments = await session.Query<UsageIncrement>().Where(i => i.Counts.OrgId == orgId).ToListAsync();
        Assert.Equal(3, increments.Count);
        Assert.Equal(count, increments.Sum(i => i.Counts.Requests));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_growing()
    {
        var queue = new RequestLogQueue(NullLogger<RequestLogQueue>.Instance);

        for (var i = 0; i < RequestLogQueue.Capacity + 25; i++) queue.Enqueue(new RequestLog { Id = "req_" + i });

        Assert.Equal(25, queue.Dropped);
        Assert.Equal(RequestLogQueue.Capacity, queue.Reader.Count);
    }

    /// <summary>
    /// The entry is queued as the pipeline unwinds, which can be just after the client has the
    /// response: flush and look again for a moment before giving up.
    /// </summary>
    private Task<RequestLog> LogOfAsync(HttpResponseMessage response) => app.LoggedRequestAsync(ApiAssert.RequestId(response));
}
