using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;

namespace Nexus.Web.Tests.Support;

/// <summary>
/// Request logs are written after the response (queued, then batched), so a test that reads one
/// flushes the writer until it has landed: a bounded wait, failing with what was missing.
/// </summary>
public static class RequestLogWaits
{
    /// <summary>The log of one request, once written.</summary>
    public static async Task<RequestLog> LoggedRequestAsync<T>(this NexusApp<T> app, string requestId)
    {
        for (var attempt = 0; ; attempt++)
        {
            await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(CancellationToken.None);
            await using var session = app.Store.QuerySession();
            if (await session.LoadAsync<RequestLog>(requestId) is { } log) return log;
            Assert.True(attempt < 100, $"no request log for {requestId}");
            await Task.Delay(20);
        }
    }

    /// <summary>An org's logs, once at least <paramref name="count"/> are written.</summary>
    public static async Task<IReadOnlyList<RequestLog>> LoggedRequestsAsync<T>(this NexusApp<T> app, string orgId, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(CancellationToken.None);
            await using var session = app.Store.QuerySession();
            var logs = await session.Query<RequestLog>().Where(l => l.OrgId == orgId).ToListAsync();
            if (logs.Count >= count) return logs;
            Assert.True(attempt < 100, $"{logs.Count} of {count} request logs written");
            await Task.Delay(20);
        }
    }
}
