using Nexus.Shared.RequestLogs;

namespace Nexus.Shared.Usage;

/// <summary>Counts request logs into hourly usage records (pure: the log writer stores them as <see cref="UsageIncrement"/>s).</summary>
public static class UsageRollup
{
    /// <summary>
    /// One record per org, mode, key, hour, method and route among <paramref name="logs"/>, with
    /// the id of the stored record it counts towards.
    /// </summary>
    public static IReadOnlyList<UsageRecord> Roll(IEnumerable<RequestLog> logs) =>
        logs.GroupBy(l => (l.OrgId, l.Mode, l.KeyId, Hour: UsageRecord.HourOf(l.At), l.Method, l.Route))
            .Select(g => new UsageRecord
            {
                Id = UsageRecord.IdFor(g.Key.OrgId, g.Key.Mode, g.Key.KeyId, g.Key.Hour, g.Key.Method, g.Key.Route),
                OrgId = g.Key.OrgId,
                Mode = g.Key.Mode,
                KeyId = g.Key.KeyId,
                KeyPrefix = g.First().KeyPrefix,
                Hour = g.Key.Hour,
                Method = g.Key.Method,
                Route = g.Key.Route,
                Requests = g.LongCount(),
                Successes = g.LongCount(l => l.Status < 400),
                ClientErrors = g.LongCount(l => l.Status is >= 400 and < 500),
                ServerErrors = g.LongCount(l => l.Status >= 500),
                RateLimited = g.LongCount(l => l.Status == 429),
                LatencySumMs = g.Sum(l => l.LatencyMs),
                Latency = LatencyHistogram.Count(g.Select(l => l.LatencyMs)),
            })
            .ToList();
}
