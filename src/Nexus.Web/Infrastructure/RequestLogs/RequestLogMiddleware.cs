using System.Diagnostics;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// Queues a log entry for every API request that resolved to an org: made with a valid key, or with
/// a key Nexus issued that was refused (revoked, expired, outside its allowlist). A request with
/// no key or an unknown one belongs to nobody who could read it. Only metadata is taken: never headers' values other
/// than the user agent, and bodies only while the org's debug capture is on (<see cref="DebugCaptureMiddleware"/>).
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, RequestLogQueue queue, RouteTemplates routes, TimeProvider clock)
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
            if (ctx.IsApiCaller())
            {
                var caller = ctx.Caller();
                queue.Enqueue(Entry(ctx, (caller.OrgId, caller.Mode, caller.KeyId, caller.KeyPrefix), at, Stopwatch.GetElapsedTime(started)));
            }
            else if (ApiKeyAuthentication.RefusedKeyOf(ctx) is { } key)
            {
                queue.Enqueue(Entry(ctx, (key.OrgId, key.Mode, key.Id, key.Prefix), at, Stopwatch.GetElapsedTime(started)));
            }
        }
    }

    private RequestLog Entry(HttpContext ctx, (string OrgId, Nexus.Shared.Common.Mode Mode, string KeyId, string KeyPrefix) key, DateTimeOffset at, TimeSpan latency)
    {
        var (requestBody, responseBody) = ctx.Items[DebugCaptureMiddleware.CaptureItem] as (string?, string?)? ?? (null, null);
        return new RequestLog
        {
            Id = ctx.TraceIdentifier,
            OrgId = key.OrgId,
            Mode = key.Mode,
            KeyId = key.KeyId,
            KeyPrefix = key.KeyPrefix,
            At = at,
            Method = ctx.Request.Method,
            Route = routes.Of(ctx),
            // A client may put its key in the path or its user agent; neither is stored with it.
            Path = Truncate(SecretText.Redact(ctx.Request.Path.Value ?? ""), RequestLog.MaxPathLength),
            Status = ctx.Response.StatusCode,
            LatencyMs = Math.Round(latency.TotalMilliseconds, 3),
            Ip = ctx.Connection.RemoteIpAddress?.ToString(),
            UserAgent = ctx.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? Truncate(SecretText.Redact(ua), RequestLog.MaxUserAgentLength) : null,
            ErrorCode = ctx.Items[ApiErrors.ErrorCodeItem] as string,
            RequestBody = requestBody,
            ResponseBody = responseBody,
        };
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
