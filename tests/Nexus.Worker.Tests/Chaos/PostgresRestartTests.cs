using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;
using Xunit.Abstractions;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// RELIABILITY.md, "Postgres restarted under load": the web app and a worker as real processes on a
/// cluster of the test's own, API writes going on while the cluster is restarted twice. Writes fail
/// loudly (503 with the error object, never a false 2xx, never a hang), the worker reconnects by itself,
/// and every acknowledged note's event reaches the receiver, signed, exactly once (no worker crashed, so
/// RELIABILITY.md allows no duplicate); its LISTEN connection and its Quartz tick both work again afterwards.
/// </summary>
public sealed class PostgresRestartTests(ThrowawayCluster cluster, ITestOutputHelper output) : IClassFixture<ThrowawayCluster>
{
    private const int Restarts = 2, Clients = 12;
    private const int WritesBetweenRestarts = 60;
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Postgres_restarted_under_load_writes_fail_loudly_the_worker_recovers_and_every_acknowledged_note_is_delivered()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var tenant = await ChaosTenant.CreateAsync(cluster.ConnectionString, "chaos_load", receiver.Url());

        using var worker = WorkerProcess.Start(cluster.ConnectionString, tenant.Schema, WorkerSettings(tenant));
        using var web = WebProcess.Start(cluster.ConnectionString, WebSettings(tenant));
        using var client = new HttpClient { BaseAddress = await web.AddressAsync(TimeSpan.FromSeconds(60)), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);

        // Clients write all along; the cluster restarts each time enough writes went through since the last restart.
        var load = new NoteLoad(client, RequestBound);
        var writing = load.RunAsync(Clients, maxWrites: 5_000);
        for (var i = 0; i < Restarts; i++)
        {
            await Until(() => load.Acknowledged >= (i + 1) * WritesBetweenRestarts, $"{WritesBetweenRestarts} acknowledged writes before restart {i + 1}", web, worker);
            await cluster.RestartAsync();
        }
        await Until(() => load.Acknowledged >= (Restarts + 1) * WritesBetweenRestarts, "acknowledged writes after the last restart (the web app recovers by itself)", web, worker);
        load.Stop();
        await writing;
        tenant.DataSource.Clear(); // the test's own pooled connections died with the cluster

        // Every request was answered in time, with a 2xx or a 503 carrying the error object.
        var writes = load.Writes;
        var wrong = writes.Where(w => !(w.Acknowledged || (w.Status == 503 && w.ErrorCode == "service_unavailable"))).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} writes got something else: {Describe(wrong)}\nWeb output:\n{Tail(web.Output)}");
        Assert.Contains(writes, w => w.Status == 503); // the restarts did hit writes in flight
        Assert.All(writes, w => Assert.True(w.Took < RequestBound, $"Write {w.N} took {w.Took}"));

        // No false 2xx: every acknowledged note is stored, as written.
        var stored = await tenant.NotesAsync();
        var acknowledged = writes.Where(w => w.Acknowledged).ToList();
        Assert.All(acknowledged, w => Assert.Equal(w.Title, Assert.Contains(w.NoteId!, stored).Title));
        // A 503 may hide a commit whose answer was lost with the connection: at most once per client and restart.
        var failedButStored = writes.Count(w => !w.Acknowledged && stored.Values.Any(n => n.Title == w.Title));
        Assert.True(failedButStored <= Restarts * Clients, $"{failedButStored} writes answered 503 were stored");

        // Every stored note's note.created event arrives, signed, with the worker never restarted by hand.
        var received = await receiver.WaitForAsync(r => NoteIdsOf(r, tenant).IsSupersetOf(stored.Keys), TimeSpan.FromSeconds(60));
        Assert.False(worker.HasExited, $"The worker exited:\n{worker.Output}");
        Assert.All(received, r => Assert.True(tenant.SignatureValid(r), $"Bad signature on {r.Header("webhook-id")}"));
        var webhookIdsPerNote = received.GroupBy(r => NoteIdOf(r.Body)).ToDictionary(g => g.Key, g => g.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.All(webhookIdsPerNote, p => Assert.True(p.Value == 1, $"Note {p.Key} was sent as {p.Value} different events"));
        Assert.Equal(stored.Keys.Order(), webhookIdsPerNote.Keys.Order());

        // The queue drained: every delivery succeeded and none is left claimed.
        await Until(async () => await tenant.CountDeliveriesAsync("status <> 'Succeeded' or next_attempt_at is not null or data->>'LeaseToken' is not null") == 0,
            "every delivery succeeded and released", web, worker);
        Assert.Equal(stored.Count, await tenant.CountDeliveriesAsync("true"));

        // No worker crashed, so nothing arrives more often than it was attempted: an attempt that finished
        // while the database was down is recorded once it is back (the lease outlasts the restart), not sent
        // again when the lease ends. (An attempt the worker saw fail, a timeout on a starved machine say, is
        // retried with the same webhook-id, and is recorded as an attempt.)
        var attemptsByEvent = await tenant.AttemptsByEventAsync();
        var byWebhookId = receiver.Requests.ToList().GroupBy(r => r.Header("webhook-id")).ToList();
        foreach (var copies in byWebhookId)
            Assert.All(copies, c => Assert.Equal(copies.First().Body, c.Body)); // a redelivery is the same bytes
        var twice = byWebhookId.Where(g => g.Count() > attemptsByEvent.GetValueOrDefault(g.Key))
            .Select(g => $"{g.Key} received {g.Count()} times, attempted {attemptsByEvent.GetValueOrDefault(g.Key)}").ToList();
        Assert.True(twice.Count == 0, $"Sent more often than attempted: {string.Join(", ", twice)}\nWorker output:\n{Tail(worker.Output)}");

        // The Quartz tick survived the restarts: once the queue is idle, a retry due a second later has nothing else to claim it.
        var attempts = 0;
        receiver.Respond = c =>
        {
            if (Interlocked.Increment(ref attempts) == 1) c.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        var probe = await tenant.PublishAsync(EventCatalog.TestPing, """{"probe":true}""");
        await WaitOrExplain(receiver.WaitForAsync(r => r.Count(x => x.Header("webhook-id") == probe.Id) >= 2, TimeSpan.FromSeconds(30)), worker);
        Assert.False(worker.HasExited, $"The worker exited:\n{worker.Output}");
        // What the processes logged about the outage names no secret.
        foreach (var secret in new[] { tenant.ApiKey, tenant.EndpointSecret })
            Assert.False(web.Output.Contains(secret) || worker.Output.Contains(secret), "A secret reached a log");
        output.WriteLine($"{writes.Count} writes: {Describe(writes)}; {failedButStored} answered 503 but stored; " +
            $"{received.Count} requests received for {stored.Count} notes; slowest write {writes.Max(w => w.Took)}");
    }

    [Fact]
    public async Task An_idle_worker_listens_again_after_a_restart_so_a_new_event_goes_out_without_waiting_for_a_poll()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var tenant = await ChaosTenant.CreateAsync(cluster.ConnectionString, "chaos_listen", receiver.Url());
        // The Quartz tick fires once at start, then not for an hour: only the LISTEN connection can wake this worker.
        var settings = WorkerSettings(tenant);
        settings[$"{DeliveryOptions.Section}:PollSeconds"] = "3600";
        using var worker = WorkerProcess.Start(cluster.ConnectionString, tenant.Schema, settings);
        var before = await tenant.PublishAsync(EventCatalog.TestPing, """{"n":1}""");
        await WaitOrExplain(receiver.WaitForAsync(r => r.Any(x => x.Header("webhook-id") == before.Id), TimeSpan.FromSeconds(30)), worker);

        await cluster.RestartAsync();
        tenant.DataSource.Clear();
        var after = await tenant.PublishAsync(EventCatalog.TestPing, """{"n":2}""");

        await WaitOrExplain(receiver.WaitForAsync(r => r.Any(x => x.Header("webhook-id") == after.Id), TimeSpan.FromSeconds(30)), worker);
        Assert.False(worker.HasExited, $"The worker exited:\n{worker.Output}");
    }

    private static Dictionary<string, string> WorkerSettings(ChaosTenant tenant)
    {
        var settings = WorkerProcess.QuickSettings(timeoutSeconds: 5, leaseSeconds: 8, graceSeconds: 2);
        foreach (var (key, value) in tenant.SharedSettings()) settings[key] = value;
        settings[$"{DeliveryOptions.Section}:PollSeconds"] = "1";
        return settings;
    }

    private static Dictionary<string, string> WebSettings(ChaosTenant tenant)
    {
        var settings = tenant.SharedSettings();
        // Limits nothing here reaches: the test is about the database, not the rate limits.
        settings["Nexus:RateLimits:PerIpPerMinute"] = "1000000";
        settings["Nexus:Plans:Free:PerMinute"] = "1000000";
        settings["Nexus:Plans:Free:PerDay"] = "1000000";
        return settings;
    }

    private static HashSet<string> NoteIdsOf(IReadOnlyList<ReceivedRequest> received, ChaosTenant tenant) =>
        received.Where(tenant.SignatureValid).Select(r => NoteIdOf(r.Body)).ToHashSet();

    private static string NoteIdOf(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(EventCatalog.NoteCreated, doc.RootElement.GetProperty("type").GetString());
        return doc.RootElement.GetProperty("data").GetProperty("id").GetString()!;
    }

    private static async Task WaitOrExplain(Task task, WorkerProcess worker)
    {
        try { await task; }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}\nWorker output:\n{Tail(worker.Output)}"); }
    }

    private static Task Until(Func<bool> condition, string what, WebProcess web, WorkerProcess worker) =>
        Until(() => Task.FromResult(condition()), what, web, worker);

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with both processes' output when it does not in time or one of them exits.</summary>
    private static async Task Until(Func<Task<bool>> condition, string what, WebProcess web, WorkerProcess worker)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (web.HasExited || worker.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"Waited in vain for: {what}.\nWeb output:\n{Tail(web.Output)}\nWorker output:\n{Tail(worker.Output)}");
            await Task.Delay(50);
        }
    }

    private static string Describe(IEnumerable<NoteWrite> writes) =>
        string.Join("; ", writes.GroupBy(w => (w.Status, w.ErrorCode)).Select(g => $"{g.Count()} × {g.Key.Status} {g.Key.ErrorCode}"));

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(60));
}
