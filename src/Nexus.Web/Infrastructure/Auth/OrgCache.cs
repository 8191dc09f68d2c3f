using System.Collections.Concurrent;
using Marten;
using Nexus.Shared.Accounts;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>What every API request needs to know about its org: the plan (rate limits) and whether body capture is on.</summary>
public sealed record OrgSettings(Plan Plan, DateTimeOffset? DebugCaptureUntil)
{
    public static readonly OrgSettings Default = new(Plan.Free, null);

    public bool CapturesBodiesAt(DateTimeOffset now) => DebugCaptureUntil is { } until && until > now;
}

/// <summary>
/// Each org's <see cref="OrgSettings"/>, held in memory only while the change listener is
/// connected (<see cref="KeyChangeListener"/>); a change is announced with NOTIFY and evicted on
/// every node, so it applies from the next request.
/// </summary>
public sealed class OrgCache(IDocumentStore store)
{
    private readonly ConcurrentDictionary<string, OrgSettings> _orgs = new();
    private long _generation;
    private volatile bool _listening;

    public async Task<OrgSettings> SettingsOfAsync(string orgId, CancellationToken ct)
    {
        if (_listening && _orgs.TryGetValue(orgId, out var settings)) return settings;

        var generation = Interlocked.Read(ref _generation);
        await using var session = store.QuerySession();
        var org = await session.LoadAsync<Organization>(orgId, ct);
        settings = org is null ? OrgSettings.Default : new OrgSettings(org.Plan, org.DebugCaptureUntil);
        if (org is not null && _listening && Interlocked.Read(ref _generation) == generation) _orgs[orgId] = settings;
        return settings;
    }

    public void Evict(string orgId)
    {
        Interlocked.Increment(ref _generation);
        _orgs.TryRemove(orgId, out _);
    }

    internal void SetListening(bool listening)
    {
        Interlocked.Increment(ref _generation);
        _listening = listening;
        _orgs.Clear();
    }
}
