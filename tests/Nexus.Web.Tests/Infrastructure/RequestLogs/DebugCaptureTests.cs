using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Web.Tests.Dashboard;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.RequestLogs;

/// <summary>Bodies reach the request logs only while an owner has turned capture on, and always redacted.</summary>
public sealed class DebugCaptureTests(NexusApp<DebugCaptureTests> app) : IClassFixture<NexusApp<DebugCaptureTests>>
{
    [Fact]
    public async Task Bodies_are_not_logged_until_an_owner_turns_capture_on_and_then_only_redacted()
    {
        var dashboard = DashboardClient.For(app);
        var email = await dashboard.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var (plaintext, _) = await org.CreateKeyAsync();
        using var api = app.CreateClient().WithKey(plaintext);

        var before = await api.PostAsync("/api/v1/notes", NoteData.Json("""{"title":"before","body":"nothing kept"}"""));
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        var off = await LogOfAsync(before);
        Assert.Null(off.RequestBody);
        Assert.Null(off.ResponseBody);

        var start = await dashboard.PostFormAsync("/settings/debug-capture", [new("action", "start")], await dashboard.TokenFromAsync("/settings"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Contains("Stop now", await dashboard.Http.GetStringAsync("/settings"));

        var during = await WaitForCaptureAsync(api, $$"""{"title":"leaked {{plaintext}}","body":"visible body"}""");
        Assert.Contains("visible body", during.RequestBody);
        Assert.DoesNotContain(plaintext, during.RequestBody);
        Assert.Contains("[redacted]", during.RequestBody);
        Assert.Contains("\"id\":\"note_", during.ResponseBody);
        Assert.DoesNotContain(plaintext, during.ResponseBody);

        var stop = await dashboard.PostFormAsync("/settings/debug-capture", [new("action", "stop")], await dashboard.TokenFromAsync("/settings"));
        Assert.Equal(HttpStatusCode.Redirect, stop.StatusCode);
        await using var session = app.Store.QuerySession();
        Assert.Null((await session.LoadAsync<Organization>(org.Org.Id))!.DebugCaptureUntil);
        var audit = await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.OrgDebugCaptureChanged).ToListAsync();
        Assert.Equal(4, audit.Count); // start and stop, each in both modes
        // The audit log quotes the time the way the API writes times, and stop names the one start set.
        var changes = audit.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Changes.Single()).ToList();
        Assert.All(changes, c => Assert.Equal("debug_capture_until", c.Field));
        var until = changes[0].After!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", until);
        Assert.Equal([(null, until), (null, until), (until, null), (until, null)], changes.Select(c => (c.Before, c.After)));
    }

    [Theory]
    [InlineData("/api/v1/notes", """{"title":"kept once","body":"captured body"}""")]
    [InlineData("/api/v2/notes", """{"content":"kept once\ncaptured body"}""")]
    [InlineData("/api/v1/customers", """{"name":"kept once","email":"captured@example.com"}""")]
    public async Task Capture_and_an_idempotency_key_together_answer_201_log_the_bodies_and_replay(string path, string json)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        await using (var session = app.Store.LightweightSession())
        {
            org.Org.DebugCaptureUntil = DateTimeOffset.UtcNow.AddHours(1);
            session.Store(org.Org);
            await session.SaveChangesAsync();
        }
        using var api = await org.ClientWithKeyAsync(app.CreateClient());

        var first = await api.SendAsync(Idempotency.IdempotencyTests.Post("k1", json, path));
        var created = await ApiAssert.OkAsync(first, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var log = await LogOfAsync(first);
        Assert.Contains("kept once", log.RequestBody);
        Assert.Contains(id, log.ResponseBody);

        var retry = await api.SendAsync(Idempotency.IdempotencyTests.Post("k1", json, path));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Contains(id, (await LogOfAsync(retry)).ResponseBody);
    }

    [Fact]
    public async Task A_developer_cannot_turn_capture_on()
    {
        var dashboard = DashboardClient.For(app);
        var email = await dashboard.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await app.Store.SetRoleAsync(email, Role.Developer);

        var response = await dashboard.PostFormAsync("/settings/debug-capture", [new("action", "start")], await dashboard.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var session = app.Store.QuerySession();
        Assert.Null((await session.LoadAsync<Organization>(org.Org.Id))!.DebugCaptureUntil);
    }

    [Fact]
    public async Task An_unknown_action_is_400()
    {
        var dashboard = DashboardClient.For(app);
        await dashboard.SignUpNewAsync();

        var response = await dashboard.PostFormAsync("/settings/debug-capture", [new("action", "forever")], await dashboard.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>The switch reaches this node by NOTIFY: post until a request's log shows captured bodies.</summary>
    private async Task<RequestLog> WaitForCaptureAsync(HttpClient api, string body)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await api.PostAsync("/api/v1/notes", NoteData.Json(body));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var log = await LogOfAsync(response);
            if (log.RequestBody is not null) return log;
            Assert.True(attempt < 5, "capture never started");
            await Task.Delay(50);
        }
    }

    private Task<RequestLog> LogOfAsync(HttpResponseMessage response) => app.LoggedRequestAsync(ApiAssert.RequestId(response));
}
