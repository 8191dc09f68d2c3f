namespace Nexus.Web.Api.Usage.Get;

/// <summary>The documented example: a test key's last day, shortened to three hourly buckets.</summary>
internal static class UsageExample
{
    private static readonly DateTimeOffset Hour = DateTimeOffset.Parse("2026-11-22T10:00:00Z");

    private static UsageTotalsView Totals(long requests, long clientErrors, long rateLimited, double avg, double p95) => new()
    {
        Requests = requests, Successes = requests - clientErrors, ClientErrors = clientErrors, ServerErrors = 0,
        ErrorRate = Math.Round((double)clientErrors / requests, 4), RateLimited = rateLimited, AvgLatencyMs = avg, P95LatencyMs = p95,
    };

    private static UsageBucketView[] Series(params long[] requests) =>
        requests.Select((n, i) => new UsageBucketView { Start = Hour.AddHours(i - requests.Length + 1), Requests = n, Errors = n > 0 ? 1 : 0, RateLimited = 0 }).ToArray();

    public static readonly Response Response = new()
    {
        Period = "24h", Mode = "test", KeyId = null, Granularity = "hour",
        From = Hour.AddHours(-23), To = Hour.AddHours(1),
        Limits = new UsageLimits { Plan = "free", PerMinute = 10, PerDay = 100, UsedThisMinute = 2, UsedToday = 57 },
        Totals = Totals(57, 3, 1, 4.812, 11.2),
        Series = Series(20, 0, 37),
        Keys =
        [
            new KeyUsageView
            {
                KeyId = "key_06h0v2k1b7n4m8p2q6s9u3w5xa", KeyPrefix = "nx_test_a1B2c3", Name = "Billing sync", RateLimitPerMinute = 5,
                UsedThisMinute = 2, UsedToday = 57, Totals = Totals(57, 3, 1, 4.812, 11.2), Series = Series(20, 0, 37),
            },
        ],
        Endpoints =
        [
            new EndpointUsageView { Method = "GET", Route = "/api/v1/notes", Totals = Totals(41, 1, 1, 3.904, 8.91) },
            new EndpointUsageView { Method = "POST", Route = "/api/v1/notes", Totals = Totals(16, 2, 0, 7.139, 11.2) },
        ],
    };
}
