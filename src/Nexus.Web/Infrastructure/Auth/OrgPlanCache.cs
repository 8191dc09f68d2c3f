using System.Collections.Concurrent;
using Marten;
using Nexus.Shared.Accounts;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Each org's plan, which every API request needs for its rate limits. Held in memory only while
/// the change listener is connected (<see cref="KeyChangeListener"/>); a plan change is announced
/// with NOTIFY and evicted on every node, so it applies from the next request.
/// </summary>
public sealed class OrgPlanCache(IDocumentStore store)
{
    private readonly ConcurrentDictionary<string, Plan> _plans = new();
    private long _generation;
    private volatile bool _listening;

    public async Task<Plan> PlanOfAsync(string orgId, CancellationToken ct)
    {
        if (_listening && _plans.TryGetValue(orgId, out var plan)) return plan;

        var generation = Interlocked.Read(ref _generation);
        await using var session = store.QuerySession();
        var org = await session.LoadAsync<Organization>(orgId, ct);
        plan = org?.Plan ?? Plan.Free;
        if (org is not null && _listening && Interlocked.Read(ref _generation) == generation) _plans[orgId] = plan;
        return plan;
    }

    public void Evict(string orgId)
    {
        Interlocked.Increment(ref _generation);
        _plans.TryRemove(orgId, out _);
    }

    internal void SetListening(bool listening)
    {
        Interlocked.Increment(ref _generation);
        _listening = listening;
        _plans.Clear();
    }
}
