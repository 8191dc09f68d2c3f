using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// A canary key goes through its whole life (created, used, revoked, used again, mistyped), then
/// the whole database schema (every row of every table, as text) and everything logged at Debug
/// level and above are searched for it. Only its display prefix may appear anywhere.
/// </summary>
public sealed class CanaryKeyTests(NexusApp<CanaryKeyTests> app) : IClassFixture<NexusApp<CanaryKeyTests>>
{
    [Fact]
    public async Task A_canary_keys_plaintext_is_nowhere_in_the_database_or_the_logs_after_its_life()
    {
        var logs = new CapturingLoggerProvider();
        // Two hosts (two web nodes, each with its own key cache), both logging everything to the capture.
        await using var first = WithCapture(logs);
        await using var second = WithCapture(logs);
        var org = await app.CreateOrgAsync();
        var actor = AuditActor.User(org.Owner.Id, org.Owner.Email, "203.0.113.9", "req_canary");

        var created = await WithManagerAsync(first, m => m.CreateAsync(org.Org,
            new KeySpec("canary", KeyKind.Secret, Mode.Test) { Scopes = KeyScopes.DefaultFor(KeyKind.Secret) }, actor, CancellationToken.None));
        var (canary, key) = (created.Plaintext!, created.Key!);

        using var client = first.CreateClient().WithKey(canary);
        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
        await ApiAssert.OkAsync(await client.PostAsync("/api/v2/notes", NoteData.Json("""{"content":"Canary note","tags":["canary"]}""")), HttpStatusCode.Created);
        await first.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);

        var revoked = await WithManagerAsync(first, m => m.RevokeAsync(org.Org.Id, null, key.Id, actor, CancellationToken.None));
        Assert.Null(revoked.Problem);
        await ApiAssert.ErrorAsync(await second.CreateClient().WithKey(canary).GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "api_key_revoked");

        var secret = canary[KeyFormat.Header(KeyKind.Secret, Mode.Test).Length..];
        var mistyped = canary[..^3] + new string(canary[^3..].Select(c => c == 'a' ? 'b' : 'a').ToArray());
        await ApiAssert.ErrorAsync(await second.CreateClient().WithKey(mistyped).GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "api_key_invalid");

        // What must never be found: the key, its random part and checksum, and the part after the shown prefix (of the mistyped copy too).
        string[] forbidden = [canary, secret[..KeyFormat.RandomLength], canary[key.Prefix.Length..], mistyped, mistyped[key.Prefix.Length..]];

        // The request logs are written in batches: wait until the canary's two successful calls are in the table searched below.
        await WaitForRequestLogsAsync(first, key.Id, count: 2);

        var rows = await TestDatabase.RowsAsync(app.Schema);
        Assert.Contains(rows, r => r.Table == "mt_doc_apikey");
        Assert.Contains(rows, r => r.Text.Contains(key.Prefix, StringComparison.Ordinal)); // the search does see the key's row
        Assert.Contains(rows, r => r.Table.Contains("requestlog", StringComparison.Ordinal) && r.Text.Contains(key.Id, StringComparison.Ordinal)); // and its request logs
        foreach (var (table, text) in rows)
            foreach (var needle in forbidden)
                Assert.False(text.Contains(needle, StringComparison.Ordinal), $"{table} holds the canary: {text}");

        var logged = logs.Entries.ToList();
        // The capture does see the requests, at Debug level too (the app's own settings stop at Information/Warning).
        Assert.Contains(logged, e => e.Contains("/api/v2/notes", StringComparison.Ordinal));
        Assert.Contains(logged, e => e.StartsWith("Debug ", StringComparison.Ordinal));
        foreach (var entry in logged)
            foreach (var needle in forbidden)
                Assert.False(entry.Contains(needle, StringComparison.Ordinal), $"a log entry holds the canary: {entry}");
    }

    private WebApplicationFactory<Program> WithCapture(CapturingLoggerProvider logs) => app.WithWebHostBuilder(b => b.ConfigureLogging(l =>
    {
        l.AddProvider(logs);
        // A rule for this provider alone beats the app's "Information"/"Warning" defaults for every category.
        l.AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug);
    }));

    private static async Task<KeyResult> WithManagerAsync(WebApplicationFactory<Program> host, Func<KeyManager, Task<KeyResult>> act)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await act(scope.ServiceProvider.GetRequiredService<KeyManager>());
        Assert.Null(result.Problem);
        return result;
    }

    /// <summary>Until the request logs of the canary's calls are written (they are written in batches, off the request path).</summary>
    private static async Task WaitForRequestLogsAsync(WebApplicationFactory<Program> host, string keyId, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            await host.Services.GetRequiredService<Nexus.Web.Infrastructure.RequestLogs.RequestLogWriter>().FlushAsync(CancellationToken.None);
            await using var session = host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
            if (await Marten.QueryableExtensions.CountAsync(session.Query<Nexus.Shared.RequestLogs.RequestLog>().Where(l => l.KeyId == keyId)) >= count) return;
            Assert.True(attempt < 100, "the canary's request logs never landed");
            await Task.Delay(20);
        }
    }
}
