using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Usage;

/// <summary>Arranges usage the way the worker leaves it: request logs rolled up into stored hourly usage records.</summary>
public static class UsageData
{
    public static RequestLog Log(TestOrg org, ApiKey key, DateTimeOffset at, int status, double latencyMs = 5,
        string method = "GET", string route = "/api/v1/notes") => new()
    {
        Id = Ids.New("req", new TestClock(at)), OrgId = org.Org.Id, Mode = key.Mode, KeyId = key.Id, KeyPrefix = key.Prefix, At = at,
        Method = method, Route = route, Path = route.Replace("{id}", "note_00000000000000000000000000"), Status = status, LatencyMs = latencyMs,
        Ip = "203.0.113.7", UserAgent = "usage-test/1.0", ErrorCode = status >= 400 ? "resource_missing" : null,
    };

    /// <summary>Stores the usage records these logs roll up into (not the logs themselves).</summary>
    public static async Task StoreUsageAsync(this TestOrg org, IEnumerable<RequestLog> logs)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(UsageRollup.Roll(logs).ToArray());
        await session.SaveChangesAsync();
    }

    /// <summary>Stores the logs as the log writer does: with the usage increments they add, in one bulk insert.</summary>
    public static async Task StoreLogsAsync(this TestOrg org, IEnumerable<RequestLog> logs)
    {
        var batch = logs.ToList();
        await org.Services.GetRequiredService<IDocumentStore>().BulkInsertDocumentsAsync(batch.Concat<object>(UsageIncrement.Of(batch)));
    }

    public static async Task SetRateLimitAsync(this TestOrg org, ApiKey key, int perMinute)
    {
        key.RateLimitPerMinute = perMinute;
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
    }
}
