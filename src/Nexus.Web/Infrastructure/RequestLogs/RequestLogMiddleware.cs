using System.Diagnostics;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// Queues a log entry for every API request that resolved to an org (a request without a valid
/// key belongs to nobody who could read it). Only metadata is taken: never headers' values other
/// than the user agent, and bodies only while the org's debug capture is on (<see cref="DebugCaptureMiddleware"/>).
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, RequestLogQueue queue, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.IsApi())
        {
            await next(ctx);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var at = clock.GetUtcNow();
        try
        {
            await next(ctx);
        }
        finally
        {
            if (ctx.User.HasClaim(c => c.Type == ApiCaller.OrgClaim))
                queue.Enqueue(Entry(ctx, at, Stopwatch.GetElapsedTime(started)));
        }
    }

    private static RequestLog Entry(HttpContext ctx, DateTimeOffset at, TimeSpan latency)
    {
        var caller = ctx.Caller();
        var (requestBody, responseBody) = ctx.Items[DebugCaptureMiddleware.CaptureItem] as (string?, string?)? ?? (null, null);
        return new RequestLog
        {
            Id = ctx.TraceIdentifier,
            OrgId = caller.OrgId,
            Mode = caller.Mode,
            KeyId = caller.KeyId,
            KeyPrefix = caller.KeyPrefix,
            At = at,
            Method = ctx.Request.Method,
            Route = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? "/" + template.TrimStart('/') : "",
            Path = Truncate(ctx.Request.Path.Value ?? "", RequestLog.MaxPathLength),
            Status = ctx.Response.StatusCode,
            LatencyMs = Math.Round(latency.TotalMilliseconds, 3),
            Ip = ctx.Connection.RemoteIpAddress?.ToString(),
            UserAgent = ctx.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? Truncate(ua, RequestLog.MaxUserAgentLength) : null,
            ErrorCode = ctx.Items[ApiErrors.ErrorCodeItem] as string,
            RequestBody = requestBody,
            ResponseBody = responseBody,
        };
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
