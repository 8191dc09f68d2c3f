using Nexus.Shared.Usage;

namespace Nexus.Web.Api.Usage.Get;

/// <summary>The caller's org's API usage in the key's mode over a period, and how close it is to its limits.</summary>
public sealed class Response
{
    /// <summary>Always <c>usage</c>.</summary>
    public string Object { get; init; } = "usage";

    /// <summary>The period reported: <c>24h</c>, <c>7d</c> or <c>30d</c>.</summary>
    public required string Period { get; init; }

    /// <summary><c>test</c> or <c>live</c>: the mode of the key that asked.</summary>
    public required string Mode { get; init; }

    /// <summary>The key the figures are limited to, when <c>key_id</c> was given.</summary>
    public required string? KeyId { get; init; }

    /// <summary>The size of each <c>series</c> bucket: <c>hour</c> for 24h, <c>day</c> (UTC) otherwise.</summary>
    public required string Granularity { get; init; }

    /// <summary>Start of the first bucket (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the last bucket (exclusive): the end of the current hour or UTC day.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The plan's limits for this org and mode, and what is used of them now (whatever <c>key_id</c> says).</summary>
    public required UsageLimits Limits { get; init; }

    /// <summary>Figures for the whole period.</summary>
    public required UsageTotalsView Totals { get; init; }

    /// <summary>Requests per bucket, oldest first, one entry for every bucket of the period (zero-filled).</summary>
    public required IReadOnlyList<UsageBucketView> Series { get; init; }

    /// <summary>Per key, busiest first: every key with usage in the period, and every working key even without.</summary>
    public required IReadOnlyList<KeyUsageView> Keys { get; init; }

    /// <summary>The busiest endpoints (at most 10), by method and route template.</summary>
    public required IReadOnlyList<EndpointUsageView> Endpoints { get; init; }
}

/// <summary>Plan limits and current use. Refused (429) requests do not count as used.</summary>
public sealed class UsageLimits
{
    /// <summary>The org's plan: <c>free</c> or <c>pro</c>.</summary>
    public required string Plan { get; init; }

    /// <summary>Requests allowed per minute for the org in this mode.</summary>
    public required int PerMinute { get; init; }

    /// <summary>Requests allowed per UTC day for the org in this mode.</summary>
    public required int PerDay { get; init; }

    /// <summary>Requests in the current UTC minute (from the request logs; a moment behind).</summary>
    public required long UsedThisMinute { get; init; }

    /// <summary>Requests in the current UTC day (today's usage records, with the requests logged in the last minute that the worker has not folded in yet).</summary>
    public required long UsedToday { get; init; }
}

/// <summary>Figures over a set of requests.</summary>
public sealed class UsageTotalsView
{
    /// <summary>Requests made.</summary>
    public required long Requests { get; init; }

    /// <summary>Answers below 400.</summary>
    public required long Successes { get; init; }

    /// <summary>4xx answers (rate-limited ones included).</summary>
    public required long ClientErrors { get; init; }

    /// <summary>5xx answers.</summary>
    public required long ServerErrors { get; init; }

    /// <summary>Share of requests that were errors (4xx or 5xx), 0–1; 0 without requests.</summary>
    public required double ErrorRate { get; init; }

    /// <summary>Requests refused by a rate limit (429).</summary>
    public required long RateLimited { get; init; }

    /// <summary>Mean time spent in Nexus, in milliseconds; null without requests.</summary>
    public required double? AvgLatencyMs { get; init; }

    /// <summary>95th percentile latency in milliseconds, as the upper bound of a ~12 %-wide bucket (never under-stated); null without requests.</summary>
    public required double? P95LatencyMs { get; init; }

    public static UsageTotalsView From(UsageTotals t) => new()
    {
        Requests = t.Requests, Successes = t.Successes, ClientErrors = t.ClientErrors, ServerErrors = t.ServerErrors,
        ErrorRate = Math.Round(t.ErrorRate, 4), RateLimited = t.RateLimited, AvgLatencyMs = t.AverageLatencyMs, P95LatencyMs = t.P95LatencyMs,
    };
}

/// <summary>One hour or day.</summary>
public sealed class UsageBucketView
{
    /// <summary>Start of the bucket (UTC).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Requests in the bucket.</summary>
    public required long Requests { get; init; }

    /// <summary>4xx and 5xx answers in the bucket.</summary>
    public required long Errors { get; init; }

    /// <summary>Requests refused by a rate limit in the bucket.</summary>
    public required long RateLimited { get; init; }

    public static UsageBucketView From(UsageBucket b) => new() { Start = b.Start, Requests = b.Requests, Errors = b.Errors, RateLimited = b.RateLimited };
}

/// <summary>One key's usage and how close it is to its per-minute limit.</summary>
public sealed class KeyUsageView
{
    /// <summary>The key's id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's display prefix (never the key).</summary>
    public required string KeyPrefix { get; init; }

    /// <summary>The key's name; null if the key no longer exists.</summary>
    public required string? Name { get; init; }

    /// <summary>The key's own per-minute limit; null means the plan's applies.</summary>
    public required int? RateLimitPerMinute { get; init; }

    /// <summary>This key's requests in the current UTC minute.</summary>
    public required long UsedThisMinute { get; init; }

    /// <summary>This key's requests in the current UTC day (they count toward the org's daily limit).</summary>
    public required long UsedToday { get; init; }

    /// <summary>The key's figures for the period.</summary>
    public required UsageTotalsView Totals { get; init; }

    /// <summary>The key's requests per bucket, like the top-level <c>series</c>.</summary>
    public required IReadOnlyList<UsageBucketView> Series { get; init; }
}

/// <summary>One endpoint's figures for the period.</summary>
public sealed class EndpointUsageView
{
    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Route template, e.g. <c>/api/v1/notes/{id}</c>; empty for requests that matched no route.</summary>
    public required string Route { get; init; }

    /// <summary>The endpoint's figures.</summary>
    public required UsageTotalsView Totals { get; init; }
}
