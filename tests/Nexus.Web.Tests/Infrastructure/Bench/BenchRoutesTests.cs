using System.Net;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Bench;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Bench;

/// <summary>Without the setting (the default) the benchmark's ceiling routes do not exist.</summary>
public sealed class BenchRoutesOffTests(NexusApp<BenchRoutesOffTests> app) : IClassFixture<NexusApp<BenchRoutesOffTests>>
{
    [Fact]
    public async Task Ceiling_routes_are_404_by_default()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Live);
        using var client = app.CreateClient();

        var get = await client.GetAsync($"/api/bench/notes/{note.Id}");
        var post = await client.PostAsync("/api/bench/notes", NoteData.Json("""{"title":"t","body":"b"}"""));

        var runtime = await client.GetAsync("/api/bench/runtime");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, post.StatusCode, runtime.StatusCode));
        await using var session = app.Store.QuerySession();
        Assert.Equal(1, await session.Query<Note>().CountAsync(n => n.OrgId == org.Org.Id));
    }
}

/// <summary>The app as <c>make bench</c> starts it: ceiling routes on, for one org in live mode.</summary>
public sealed class BenchApp : NexusApp<BenchRoutesOnTests>
{
    public string OrgId { get; } = Ids.New("org");

    public BenchApp()
    {
        Settings[BenchRoutes.CeilingSetting] = "true";
        Settings[BenchRoutes.OrgSetting] = OrgId;
    }
}

public sealed class BenchRoutesOnTests(BenchApp app) : IClassFixture<BenchApp>
{
    [Fact]
    public async Task The_ceiling_get_serves_the_configured_orgs_note_without_a_key_and_logs_nothing()
    {
        var note = new Note { Id = Ids.New("note"), OrgId = app.OrgId, Mode = Mode.Live, Title = "Bench", Body = "Body", CreatedAt = DateTimeOffset.UtcNow };
        await StoreAsync(note);
        using var client = app.CreateClient();

        var response = await client.GetAsync($"/api/bench/notes/{note.Id}");

        var body = await ApiAssert.OkAsync(response);
        Assert.Equal((note.Id, "Bench", "Body"), (body.GetProperty("id").GetString(), body.GetProperty("title").GetString(), body.GetProperty("body").GetString()));
        // The rest of the v1 route's pipeline still runs: its deprecation headers are there.
        Assert.True(response.Headers.Contains("Deprecation"));
        await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(default);
        await using var session = app.Store.QuerySession();
        Assert.Null(await session.LoadAsync<RequestLog>(ApiAssert.RequestId(response)));
    }

    [Fact]
    public async Task The_ceiling_get_is_404_for_another_orgs_or_the_other_modes_note()
    {
        var otherOrg = new Note { Id = Ids.New("note"), OrgId = Ids.New("org"), Mode = Mode.Live, Title = "Theirs", CreatedAt = DateTimeOffset.UtcNow };
        var testMode = new Note { Id = Ids.New("note"), OrgId = app.OrgId, Mode = Mode.Test, Title = "Test mode", CreatedAt = DateTimeOffset.UtcNow };
        await StoreAsync(otherOrg, testMode);
        using var client = app.CreateClient();

        foreach (var id in new[] { otherOrg.Id, testMode.Id, "note_nope" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/bench/notes/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_ceiling_get_checks_the_query_string_like_the_v1_route()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/bench/notes/note_nope?expand=everything");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_ceiling_post_stores_a_live_note_for_the_configured_org()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsync("/api/bench/notes", NoteData.Json("""{"title":"From the bench","body":"b"}"""));

        var body = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/bench/notes/{id}", response.Headers.Location?.ToString());
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<Note>(id);
        Assert.Equal((app.OrgId, Mode.Live, "From the bench"), (stored?.OrgId, stored?.Mode, stored?.Title));
    }

    [Fact]
    public async Task The_ceiling_post_runs_the_v1_validator_and_stores_nothing_on_bad_input()
    {
        using var client = app.CreateClient();
        var title = "Invalid " + Guid.NewGuid().ToString("N");

        var response = await client.PostAsync("/api/bench/notes", NoteData.Json($$"""{"title":"{{title}}","body":null}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("body is required", await response.Content.ReadAsStringAsync());
        await using var session = app.Store.QuerySession();
        Assert.Equal(0, await session.Query<Note>().CountAsync(n => n.Title == title));
    }

    /// <summary>What bench/run.sh reads before and after each slice to say whether the collector paused the app in it.</summary>
    [Fact]
    public async Task The_runtime_route_counts_collections_and_their_pauses_so_far()
    {
        using var client = app.CreateClient();
        var before = await ApiAssert.OkAsync(await client.GetAsync("/api/bench/runtime"));
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);

        var after = await ApiAssert.OkAsync(await client.GetAsync("/api/bench/runtime"));

        Assert.Equal(["allocated_bytes", "gen0", "gen1", "gen2", "pause_ms"], after.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(after.GetProperty("gen1").GetInt32() > before.GetProperty("gen1").GetInt32());
        Assert.True(after.GetProperty("pause_ms").GetDouble() > before.GetProperty("pause_ms").GetDouble());
        Assert.True(after.GetProperty("allocated_bytes").GetInt64() > before.GetProperty("allocated_bytes").GetInt64());
    }

    [Fact]
    public async Task The_ceiling_routes_stay_out_of_the_api_documents()
    {
        using var client = app.CreateClient();

        var v1 = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/notes", v1);
        Assert.DoesNotContain("/bench/", v1);
    }

    [Fact]
    public void The_setting_is_refused_in_production()
    {
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var e = Assert.Throws<InvalidOperationException>(() => production.CreateClient());
        Assert.Contains(BenchRoutes.CeilingSetting, e.Message);
    }

    private async Task StoreAsync(params Note[] notes)
    {
        await using var session = app.Store.LightweightSession();
        session.Store(notes);
        await session.SaveChangesAsync();
    }
}
