using System.Globalization;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.RateLimits;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.RateLimits;

/// <summary>
/// Spends the budgets of every authenticated API request: the client IP's, the key's own (when it
/// has one), and the org's per minute and per day in the key's mode (test traffic has its own
/// budget). It runs after authentication, so refused keys, blocked IPs and IPs outside an
/// allowlist spend nothing (their answers still carry the headers: <see cref="ApiRateLimits.AddIfMissingAsync"/>).
/// Every answer carries X-RateLimit-Limit/Remaining/Reset for the tightest limit; a refusal is 429
/// with Retry-After and the limit named.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateCounters counters, OrgCache orgs, ApiRateLimits limits, TimeProvider clock)
{
    /// <summary>Where the org's settings are left for the steps after this one (body capture).</summary>
    public const string OrgSettingsItem = "nx:org-settings";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!ctx.Request.IsApi() || !ctx.IsApiCaller())
        {
            await next(ctx);
            return;
        }

        var caller = ctx.Caller();
        var org = await orgs.SettingsOfAsync(caller.OrgId, ctx.RequestAborted);
        ctx.Items[OrgSettingsItem] = org;
        var plan = org.Plan;
        var now = clock.GetUtcNow();
        var decision = await counters.TakeAsync(limits.For(caller, plan, FailedAuthLimiter.ClientOf(ctx.Connection.RemoteIpAddress)), now, ctx.RequestAborted);

        if (decision.Tightest is { } tightest) ApiRateLimits.Write(ctx.Response.Headers, tightest);

        if (decision.RefusedBy is { } refused)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((refused.ResetsAt - now).TotalSeconds));
            ctx.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.RateLimited, Describe(refused.Limit, plan, caller) + $" Retry after {retryAfter} s.");
            return;
        }

        await next(ctx);
    }

    private static string Describe(RateLimit limit, Plan plan, ApiCaller caller) => limit.Name switch
    {
        "minute" => $"Rate limit exceeded: the {plan} plan allows {limit.Limit} requests per minute for each organization in {caller.Mode.ToWire()} mode.",
        "day" => $"Rate limit exceeded: the {plan} plan allows {limit.Limit} requests per day (UTC) for each organization in {caller.Mode.ToWire()} mode.",
        "key" => $"Rate limit exceeded: the API key {caller.KeyPrefix}… is limited to {limit.Limit} requests per minute.",
        _ => $"Rate limit exceeded: at most {limit.Limit} requests per minute are accepted from one IP address.",
    };
}
