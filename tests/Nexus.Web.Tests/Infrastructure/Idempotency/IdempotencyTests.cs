using System.Net;
using System.Text;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Idempotency;

public sealed class IdempotencyTests(NexusApp<IdempotencyTests> app) : IClassFixture<NexusApp<IdempotencyTests>>
{
    internal static HttpRequestMessage Post(string key, string json, string path = "/api/v1/notes")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    internal static async Task<int> NotesAsync(TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<Note>().CountAsync(n => n.OrgId == org.Org.Id);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_response_and_creates_nothing_new()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());

        var first = await client.SendAsync(Post("order-1", """{"title":"Once","body":""}"""));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        var retry = await client.SendAsync(Post("order-1", """{"title":"Once","body":""}"""));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.NotEqual(first.Headers.GetValues("X-Request-Id").Single(), retry.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(1, await NotesAsync(org));
    }

    /// <summary>Creating an endpoint reveals its signing secret once; the response kept for a retry holds it sealed, not in plaintext.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_kept_response_that_reveals_a_secret_is_sealed_at_rest_and_replays_whole(bool keyCreation)
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: keyCreation ? ["admin:all"] : null);
        var (path, json, marker) = keyCreation
            ? ("/api/v1/keys", """{"name":"ci","kind":"secret"}""", "nx_test_")
            : ("/api/v1/webhook-endpoints", """{"url":"https://example.com/hooks","enabled_events":["note.created"]}""", "whsec_");

        var first = await client.SendAsync(Post("reveal-1", json, path));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains(marker, firstBody);

        await using (var db = NpgsqlDataSource.Create(TestDatabase.ConnectionString))
        await using (var cmd = db.CreateCommand($"select convert_from(body, 'UTF8') from {app.Schema}.nx_idempotency_keys where org_id = '{org.Org.Id}' and key = 'reveal-1'"))
        {
            var stored = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.DoesNotContain(marker, stored);
            Assert.DoesNotContain(firstBody[(firstBody.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..][..12], stored);
        }

        var retry = await client.SendAsync(Post("reveal-1", json, path));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_key_with_other_parameters_is_422_and_runs_nothing()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        await ApiAssert.OkAsync(await client.SendAsync(Post("k", """{"title":"A","body":""}""")), HttpStatusCode.Created);

        await ApiAssert.ErrorAsync(await client.SendAsync(Post("k", """{"title":"B","body":""}""")), (HttpStatusCode)422, "idempotency_key_reused", "Idempotency-Key");
        // Another path with the same key is another operation too.
        await ApiAssert.ErrorAsync(await client.SendAsync(Post("k", """{"title":"A","body":""}""", "/api/v2/notes")), (HttpStatusCode)422, "idempotency_key_reused", "Idempotency-Key");
        Assert.Equal(1, await NotesAsync(org));
    }

    [Fact]
    public async Task A_key_over_255_characters_is_400_and_stores_nothing()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        await ApiAssert.ErrorAsync(await client.SendAsync(Post(new string('k', 256), """{"title":"A","body":""}""")), HttpStatusCode.BadRequest, "idempotency_key_invalid", "Idempotency-Key");
        Assert.Equal(0, await NotesAsync(org));
    }

    [Fact]
    public async Task Two_keys_on_one_request_are_400_and_store_nothing()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var request = Post("one", """{"title":"A","body":""}""");
        request.Headers.Add("Idempotency-Key", "two");
        await ApiAssert.ErrorAsync(await client.SendAsync(request), HttpStatusCode.BadRequest, "idempotency_key_invalid", "Idempotency-Key");
        Assert.Equal(0, await NotesAsync(org));
    }

    [Fact]
    public async Task A_key_of_255_characters_is_accepted()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        await ApiAssert.OkAsync(await client.SendAsync(Post(new string('k', 255), """{"title":"A","body":""}""")), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Keys_belong_to_one_org_and_mode()
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var test = await org.ClientWithKeyAsync(app.CreateClient());
        var live = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live);
        var foreign = await other.ClientWithKeyAsync(app.CreateClient());

        foreach (var client in new[] { test, live, foreign })
        {
            var response = await client.SendAsync(Post("shared", """{"title":"A","body":""}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        }
        Assert.Equal(2, await NotesAsync(org));
        Assert.Equal(1, await NotesAsync(other));
    }

    [Fact]
    public async Task A_key_is_kept_for_24_hours_and_then_runs_again()
    {
        var clock = new TestClock(DateTimeOffset.Parse("2026-05-01T09:00:00Z"));
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(host.CreateClient());

        await ApiAssert.OkAsync(await client.SendAsync(Post("daily", """{"title":"A","body":""}""")), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.True((await client.SendAsync(Post("daily", """{"title":"A","body":""}"""))).Headers.Contains("Idempotent-Replayed"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var again = await client.SendAsync(Post("daily", """{"title":"A","body":""}"""));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await NotesAsync(org));
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_one_key_run_once_and_all_get_the_same_answer()
    {
        // Pro allows exactly 100 a minute, and every retry counts like any call.
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.SendAsync(Post("race", """{"title":"Race","body":""}"""))));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal(99, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1, await NotesAsync(org));
    }
}

/// <summary>With a short wait for a running request with the same key, so the in-progress case answers quickly.</summary>
public sealed class IdempotencyInProgressTests(IdempotencyInProgressTests.App app) : IClassFixture<IdempotencyInProgressTests.App>
{
    public sealed class App : NexusApp<IdempotencyInProgressTests>
    {
        public App() => Settings["Nexus:Idempotency:WaitSeconds"] = "0.3";
    }

    private static HttpRequestMessage Post(string key, string json) => IdempotencyTests.Post(key, json);
    private static Task<int> NotesAsync(TestOrg org) => IdempotencyTests.NotesAsync(org);

    [Fact]
    public async Task A_retry_while_the_first_request_still_runs_is_409_and_the_first_still_completes()
    {
        var org = await app.CreateOrgAsync();
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var notes = app.Store.Options.Schema.For<Note>();

        // Hold the notes table, so the first request is stuck inside its insert.
        await using var blocker = new NpgsqlConnection(TestDatabase.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"lock table {notes} in access exclusive mode", blocker, hold)) await lockTable.ExecuteNonQueryAsync();

        var first = client.SendAsync(Post("slow", """{"title":"Slow","body":""}"""));
        await WaitUntilBlockedAsync(notes.ToString());

        await ApiAssert.ErrorAsync(await client.SendAsync(Post("slow", """{"title":"Slow","body":""}""")), HttpStatusCode.Conflict, "idempotency_request_in_progress", "Idempotency-Key");

        await hold.CommitAsync();
        var done = await first;
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        var replay = await client.SendAsync(Post("slow", """{"title":"Slow","body":""}"""));
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await done.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await NotesAsync(org));
    }

    /// <summary>Waits (polling the server, up to 10 s) until a session waits for a lock on <paramref name="table"/>.</summary>
    private static async Task WaitUntilBlockedAsync(string table)
    {
        await using var db = new NpgsqlConnection(TestDatabase.ConnectionString);
        await db.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var cmd = new NpgsqlCommand(
                "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where not l.granted and c.oid = @t::regclass", db);
            cmd.Parameters.AddWithValue("t", table);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) return;
            Assert.True(DateTime.UtcNow < deadline, "The first request never reached the notes table.");
            await Task.Delay(20);
        }
    }
}
