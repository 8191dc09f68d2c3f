using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>What one POST /api/v1/notes got: its status (0 when it did not answer within the bound), the note id of a 2xx, the error code of a 4xx/5xx.</summary>
public sealed record NoteWrite(int N, int Status, string? NoteId, string? ErrorCode, TimeSpan Took)
{
    public string Title => NoteLoad.TitleOf(N);
    public bool Acknowledged => Status is >= 200 and < 300;
}

/// <summary>
/// Clients creating notes through the API concurrently until told to stop, each request numbered
/// (its note's title says which), recording what every request got. A client that got a 5xx waits a
/// moment before its next write, as a real client backs off, rather than spinning while the database is away.
/// </summary>
public sealed class NoteLoad(HttpClient client, TimeSpan bound)
{
    private readonly ConcurrentQueue<NoteWrite> _writes = new();
    private int _next, _acknowledged;
    private volatile bool _stopping;

    public int Acknowledged => Volatile.Read(ref _acknowledged);
    public IReadOnlyList<NoteWrite> Writes => _writes.ToArray();

    public static string TitleOf(int n) => $"chaos-{n}";

    /// <summary>Runs <paramref name="clients"/> clients until <see cref="Stop"/> or <paramref name="maxWrites"/> writes.</summary>
    public Task RunAsync(int clients, int maxWrites) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!_stopping)
            {
                var n = Interlocked.Increment(ref _next);
                if (n > maxWrites) return;
                var write = await WriteAsync(n);
                _writes.Enqueue(write);
                if (write.Acknowledged) Interlocked.Increment(ref _acknowledged);
                else await Task.Delay(50);
            }
        })));

    public void Stop() => _stopping = true;

    private async Task<NoteWrite> WriteAsync(int n)
    {
        var took = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(bound);
        try
        {
            using var response = await client.PostAsJsonAsync("/api/v1/notes", new { title = TitleOf(n), body = "written while the database restarts" }, cts.Token);
            var json = await response.Content.ReadAsStringAsync(cts.Token);
            var status = (int)response.StatusCode;
            using var doc = JsonDocument.Parse(json.Length == 0 ? "{}" : json);
            return status is >= 200 and < 300
                ? new(n, status, doc.RootElement.GetProperty("id").GetString(), null, took.Elapsed)
                : new(n, status, null, ErrorCode(doc.RootElement), took.Elapsed);
        }
        catch (OperationCanceledException) { return new(n, 0, null, "no answer within the bound", took.Elapsed); }
        catch (Exception e) when (e is HttpRequestException or JsonException) { return new(n, -1, null, e.Message, took.Elapsed); }
    }

    private static string? ErrorCode(JsonElement root) =>
        root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code)
            ? code.GetString() : null;
}
