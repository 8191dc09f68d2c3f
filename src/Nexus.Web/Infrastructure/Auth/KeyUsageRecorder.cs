using System.Collections.Concurrent;
using Marten;
using Marten.Patching;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Records "last used" and the request count of keys without putting a write on the request
/// path: requests mark the key in memory, and this service writes the marks every couple of
/// seconds (one patch per key, however many requests it served, all in one batch). A final flush
/// runs on graceful shutdown. The count is an increment, so several web nodes add up.
/// </summary>
public sealed class KeyUsageRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<KeyUsageRecorder> log)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Usage> _touched = new();
    // One flush at a time: a flush that finds nothing to take must still wait for the one writing what
    // it took, so that after FlushAsync returns every earlier Touch is in the database.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    private readonly record struct Usage(DateTimeOffset LastUsedAt, long Requests);

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    public void Touch(string keyId)
    {
        var now = clock.GetUtcNow();
        _touched.AddOrUpdate(keyId, new Usage(now, 1), (_, u) => new Usage(now > u.LastUsedAt ? now : u.LastUsedAt, u.Requests + 1));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) { }
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try { await WriteTouchedAsync(ct); }
        finally { _flushing.Release(); }
    }

    private async Task WriteTouchedAsync(CancellationToken ct)
    {
        if (_touched.IsEmpty) return;
        var batch = new List<KeyValuePair<string, Usage>>();
        foreach (var id in _touched.Keys)
            if (_touched.TryRemove(id, out var usage)) batch.Add(new(id, usage));

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            foreach (var (id, usage) in batch)
            {
                session.Patch<ApiKey>(id).Set(k => k.LastUsedAt, usage.LastUsedAt);
                session.Patch<ApiKey>(id).Increment(k => k.TotalRequests, usage.Requests);
            }
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e)
        {
            // Usage stamps are best effort; losing one never affects a request.
            log.LogWarning(e, "Could not record last use of {Count} API keys", batch.Count);
        }
    }
}
