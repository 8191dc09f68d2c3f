namespace Nexus.Shared.Usage;

/// <summary>The periods usage is reported over.</summary>
public enum UsagePeriod
{
    Last24Hours,
    Last7Days,
    Last30Days,
}

public static class UsagePeriods
{
    public static readonly string[] Names = ["24h", "7d", "30d"];

    public static string ToWire(this UsagePeriod period) => Names[(int)period];

    public static bool TryParse(string? value, out UsagePeriod period)
    {
        var index = Array.IndexOf(Names, value);
        period = index < 0 ? UsagePeriod.Last7Days : (UsagePeriod)index;
        return index >= 0;
    }
}

public enum UsageGranularity
{
    Hour,
    Day,
}

/// <summary>
/// The time a period covers, in whole UTC buckets ending with the one that holds now: 24 hours
/// for the last 24 h, otherwise 7 or 30 UTC days (today included, so today's requests are never
/// cut off by a rolling boundary in the middle of an hour's record).
/// </summary>
public sealed record UsageWindow(UsagePeriod Period, UsageGranularity Granularity, DateTimeOffset From, int Buckets)
{
    public TimeSpan Step => Granularity == UsageGranularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    /// <summary>The end of the window (exclusive): the end of the current hour or day.</summary>
    public DateTimeOffset To => From + Step * Buckets;

    public IEnumerable<DateTimeOffset> Starts => Enumerable.Range(0, Buckets).Select(i => From + Step * i);

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    public static UsageWindow For(UsagePeriod period, DateTimeOffset now)
    {
        if (period == UsagePeriod.Last24Hours)
            return new UsageWindow(period, UsageGranularity.Hour, UsageRecord.HourOf(now).AddHours(-23), 24);
        var days = period == UsagePeriod.Last7Days ? 7 : 30;
        return new UsageWindow(period, UsageGranularity.Day, DayOf(now).AddDays(1 - days), days);
    }

    public DateTimeOffset BucketOf(DateTimeOffset at) => Granularity == UsageGranularity.Hour ? UsageRecord.HourOf(at) : DayOf(at);

    public static DateTimeOffset DayOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }
}

/// <summary>Figures of a set of usage records. Error rate counts client and server errors (429s included) over all requests.</summary>
public sealed record UsageTotals(
    long Requests, long Successes, long ClientErrors, long ServerErrors, long RateLimited, double? AverageLatencyMs, double? P95LatencyMs)
{
    public static readonly UsageTotals Zero = new(0, 0, 0, 0, 0, null, null);

    public long Errors => ClientErrors + ServerErrors;

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public static UsageTotals Of(IReadOnlyCollection<UsageRecord> records)
    {
        var requests = records.Sum(r => r.Requests);
        if (requests == 0) return Zero;
        return new UsageTotals(
            requests,
            records.Sum(r => r.Successes),
            records.Sum(r => r.ClientErrors),
            records.Sum(r => r.ServerErrors),
            records.Sum(r => r.RateLimited),
            Math.Round(records.Sum(r => r.LatencySumMs) / requests, 3),
            LatencyHistogram.Quantile(LatencyHistogram.Merge(records.Select(r => r.Latency)), 0.95));
    }
}

/// <summary>One hour or day of a time series.</summary>
public sealed record UsageBucket(DateTimeOffset Start, long Requests, long Errors, long RateLimited);

public sealed record KeyUsage(string KeyId, string KeyPrefix, UsageTotals Totals, IReadOnlyList<UsageBucket> Series);

public sealed record EndpointUsage(string Method, string Route, UsageTotals Totals);

/// <summary>
/// What an org's hourly usage records add up to over a period: totals, a zero-filled time series,
/// per key (busiest first) and the busiest endpoints. Pure: the caller loads the records.
/// </summary>
public sealed record UsageSummary(
    UsageWindow Window, UsageTotals Totals, IReadOnlyList<UsageBucket> Series, IReadOnlyList<KeyUsage> Keys, IReadOnlyList<EndpointUsage> Endpoints)
{
    public const int TopEndpoints = 10;

    /// <param name="records">Usage records; those outside the window are ignored.</param>
    /// <param name="window">The period's buckets.</param>
    /// <param name="knownKeys">Keys to list even without usage in the period (id and prefix), so every working key shows.</param>
    public static UsageSummary From(IEnumerable<UsageRecord> records, UsageWindow window, IEnumerable<(string Id, string Prefix)>? knownKeys = null)
    {
        var inWindow = records.Where(r => window.Contains(r.Hour)).ToList();

        var keys = inWindow.GroupBy(r => r.KeyId)
            .Select(g => new KeyUsage(g.Key, g.OrderByDescending(r => r.Hour).First().KeyPrefix, UsageTotals.Of(g.ToList()), SeriesOf(g, window)))
            .ToList();
        foreach (var (id, prefix) in knownKeys ?? [])
            if (keys.All(k => k.KeyId != id))
                keys.Add(new KeyUsage(id, prefix, UsageTotals.Zero, SeriesOf([], window)));

        var endpoints = inWindow.GroupBy(r => (r.Method, r.Route))
            .Select(g => new EndpointUsage(g.Key.Method, g.Key.Route, UsageTotals.Of(g.ToList())))
            .OrderByDescending(e => e.Totals.Requests).ThenBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .Take(TopEndpoints)
            .ToList();

        return new UsageSummary(
            window,
            UsageTotals.Of(inWindow),
            SeriesOf(inWindow, window),
            keys.OrderByDescending(k => k.Totals.Requests).ThenBy(k => k.KeyPrefix, StringComparer.Ordinal).ToList(),
            endpoints);
    }

    private static IReadOnlyList<UsageBucket> SeriesOf(IEnumerable<UsageRecord> records, UsageWindow window)
    {
        var byBucket = records.GroupBy(r => window.BucketOf(r.Hour)).ToDictionary(g => g.Key, g => g.ToList());
        return window.Starts.Select(start => byBucket.TryGetValue(start, out var rs)
                ? new UsageBucket(start, rs.Sum(r => r.Requests), rs.Sum(r => r.ClientErrors + r.ServerErrors), rs.Sum(r => r.RateLimited))
                : new UsageBucket(start, 0, 0, 0))
            .ToList();
    }
}
