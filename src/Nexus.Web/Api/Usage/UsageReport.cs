using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;

namespace Nexus.Web.Api.Usage;

/// <summary>Requests that count against a budget right now: this UTC minute and this UTC day.</summary>
public sealed record UsageNow(long ThisMinute, long Today);

/// <summary>
/// An org's usage in one mode over a period (from the hourly usage records) and how much of its
/// limits it is using now. Both the API and the dashboard's Usage page read it.
/// </summary>
/// <remarks>
/// "Now" figures are approximations read from what Nexus stores, not the limiter's own counters:
/// this minute counts the request logs since the minute began; today adds up today's usage
/// records and the usage increments the worker has not folded into them yet (written with each
/// batch of logs, so today counts exactly the requests logged so far, without reading an hour of
/// logs per key). Requests refused with 429 are left out: they spend no budget. Logs land a moment
/// after their request (batched writes).
/// </remarks>
public sealed record UsageReport(
    Organization Org, Mode Mode, string? KeyFilter, PlanLimits Limits, UsageSummary Summary,
    IReadOnlyDictionary<string, ApiKey> Keys, IReadOnlyDictionary<string, UsageNow> KeyNow, UsageNow OrgNow, DateTimeOffset At)
{
    public ApiKey? KeyOf(string keyId) => Keys.GetValueOrDefault(keyId);

    public UsageNow NowOf(string keyId) => KeyNow.GetValueOrDefault(keyId) ?? new UsageNow(0, 0);

    /// <summary>The per-minute limit that binds a key: its own when set (never above the plan's), else the plan's.</summary>
    public int PerMinuteFor(string keyId) => KeyOf(keyId)?.RateLimitPerMinute is { } own ? Math.Min(own, Limits.PerMinute) : Limits.PerMinute;

    public static async Task<UsageReport> LoadAsync(
        IQuerySession session, Organization org, PlanCatalog plans, Mode mode, UsagePeriod period, string? keyId, DateTimeOffset now, CancellationToken ct)
    {
        var window = UsageWindow.For(period, now);
        var minute = new DateTimeOffset(now.UtcDateTime.Ticks - now.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var today = UsageWindow.DayOf(now);
        var orgId = org.Id;

        // One round trip for everything. This minute's requests come as their key ids, counted here per
        // key and in all: one read of the minute's logs, not one per key.
        var batch = session.CreateBatchQuery();
        var keysLoad = batch.Query<ApiKey>().Where(k => k.OrgId == orgId && k.Mode == mode).ToList();
        var periodLoad = keyId is null
            ? batch.Query<UsageRecord>().Where(r => r.OrgId == orgId && r.Mode == mode && r.Hour >= window.From && r.Hour < window.To).ToList()
            : batch.Query<UsageRecord>().Where(r => r.OrgId == orgId && r.Mode == mode && r.KeyId == keyId && r.Hour >= window.From && r.Hour < window.To).ToList();
        var todayLoad = batch.Query<UsageRecord>().Where(r => r.OrgId == orgId && r.Mode == mode && r.Hour >= today).ToList();
        var unfoldedLoad = batch.Query<UsageIncrement>().Where(i => i.Counts.OrgId == orgId && i.Counts.Mode == mode && i.Counts.Hour >= today).ToList();
        var minuteLoad = batch.Query<RequestLog>().Where(l => l.OrgId == orgId && l.Mode == mode && l.At >= minute && l.Status != 429).Select(l => l.KeyId).ToList();
        await batch.Execute(ct);
        var keys = (await keysLoad).ToDictionary(k => k.Id);
        var records = await periodLoad;
        var spentToday = (await todayLoad).Concat((await unfoldedLoad).Select(i => i.Counts)).ToList();

        var working = keys.Values.Where(k => k.WorksAt(now) && (keyId is null || k.Id == keyId)).OrderByDescending(k => k.CreatedAt);
        var summary = UsageSummary.From(records, window, working.Select(k => (k.Id, k.Prefix)));

        var thisMinute = (await minuteLoad).CountBy(id => id).ToDictionary();
        var keyNow = summary.Keys.Select(k => k.KeyId).Distinct().ToDictionary(id => id, id => new UsageNow(
            thisMinute.GetValueOrDefault(id), spentToday.Where(r => r.KeyId == id).Sum(r => r.Requests - r.RateLimited)));
        var orgNow = new UsageNow(thisMinute.Values.Sum(), spentToday.Sum(r => r.Requests - r.RateLimited));

        return new UsageReport(org, mode, keyId, plans.For(org.Plan), summary, keys, keyNow, orgNow, now);
    }
}
