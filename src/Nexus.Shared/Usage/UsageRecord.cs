using Nexus.Shared.Common;

namespace Nexus.Shared.Usage;

/// <summary>
/// One hour of one key's requests to one endpoint: the sum of the <see cref="UsageIncrement"/>s
/// written with its request logs, folded in by the worker. Hours add up into days and periods;
/// the latency histogram keeps p95 mergeable.
/// </summary>
public sealed class UsageRecord
{
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string KeyId { get; set; } = "";
    public string KeyPrefix { get; set; } = "";

    /// <summary>The start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; set; }
    public string Method { get; set; } = "";
    public string Route { get; set; } = "";

    public long Requests { get; set; }
    /// <summary>Answers below 400.</summary>
    public long Successes { get; set; }
    public long ClientErrors { get; set; }
    public long ServerErrors { get; set; }
    /// <summary>Requests refused by a rate limit (429); also counted in <see cref="ClientErrors"/>.</summary>
    public long RateLimited { get; set; }
    public double LatencySumMs { get; set; }
    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket.</summary>
    public long[] Latency { get; set; } = [];

    /// <summary>Adds <paramref name="other"/>'s counts (another part of the same hour, key and endpoint) to these.</summary>
    public void Add(UsageRecord other)
    {
        Requests += other.Requests;
        Successes += other.Successes;
        ClientErrors += other.ClientErrors;
        ServerErrors += other.ServerErrors;
        RateLimited += other.RateLimited;
        LatencySumMs += other.LatencySumMs;
        Latency = LatencyHistogram.Merge([Latency, other.Latency]);
    }

    public static string IdFor(string orgId, Mode mode, string keyId, DateTimeOffset hour, string method, string route) =>
        $"{orgId}|{mode.ToWire()}|{keyId}|{hour.UtcDateTime:yyyyMMddHH}|{method} {route}";

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
