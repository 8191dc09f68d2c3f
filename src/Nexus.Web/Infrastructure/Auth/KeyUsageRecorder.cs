using System.Collections.Concurrent;
using Marten;
using Marten.Patching;
using Nexus.Shared.Keys;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Records "last used" for keys without putting a write on the request path: requests mark the
/// key in memory, and this service writes the marks every couple of seconds (one write per key,
/// however many requests it served). A final flush runs on graceful shutdown.
/// </summary>
public sealed class KeyUsageRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<KeyUsageRecorder> log)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new();

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    public void Touch(string keyId) => _touched[keyId] = clock.GetUtcNow();

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
        if (_touched.IsEmpty) return;
        var batch = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var id in _touched.Keys)
            if (_touched.TryRemove(id, out var at)) batch.Add(new(id, at));

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            foreach (var (id, at) in batch)
                session.Patch<ApiKey>(id).Set(k => k.LastUsedAt, at);
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e)
        {
            // Usage stamps are best effort; losing one never affects a request.
            log.LogWarning(e, "Could not record last use of {Count} API keys", batch.Count);
        }
    }
}
