using System.Collections.Concurrent;

namespace Nexus.Web.Infrastructure.Idempotency;

/// <summary>
/// On this node, the first request with an idempotency key leads and the others with the same key
/// wait here until it finishes, and only then ask the database (which by then answers at once
/// with the stored response). Without this, 100 simultaneous retries would each hold a pooled
/// connection while blocked on the leader's row, and the pool could run dry before the leader got
/// a connection of its own. (Hand-written: the package source has no keyed async lock library.)
/// </summary>
public sealed class KeyedGate
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _leaders = new();

    /// <summary>
    /// Returns a lease when this request leads (dispose it when the request is done), or null after
    /// waiting up to <paramref name="timeout"/> for the current leader; TimedOut
    /// says whether the leader was still running then.
    /// </summary>
    public async Task<(IDisposable? Lead, bool TimedOut)> EnterAsync(string key, TimeSpan timeout, CancellationToken ct)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = _leaders.GetOrAdd(key, mine);
        if (leader == mine) return (new Lead(this, key, mine), false);
        try
        {
            await leader.Task.WaitAsync(timeout, ct);
            return (null, false);
        }
        catch (TimeoutException)
        {
            return (null, true);
        }
    }

    private sealed class Lead(KeyedGate gate, string key, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            gate._leaders.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, done));
            done.TrySetResult();
        }
    }
}
