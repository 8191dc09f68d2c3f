using System.Globalization;
using System.Runtime.CompilerServices;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.RateLimits;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Infrastructure.RateLimits;

/// <summary>
/// The limits an API request is under, and the X-RateLimit-* headers that describe them. Every API
/// answer carries those headers: <see cref="RateLimitMiddleware"/> sets them when it spends a
/// request's budgets, and an answer refused before that (no key or a bad one, a missing scope, a
/// malformed request) gets them from <see cref="AddIfMissingAsync"/>, which reads without spending.
/// </summary>
public sealed class ApiRateLimits(RateCounters counters, OrgCache orgs, FailedAuthLimiter failures, PlanCatalog plans, TimeProvider clock, IConfiguration config)
{
    public const string PerIpSetting = "Nexus:RateLimits:PerIpPerMinute";

    public IReadOnlyList<RateLimit> For(ApiCaller caller, Plan plan, string? client)
    {
        var own = OwnLimits(caller, plans.For(plan));
        if (client is null) return own.Limits;
        var limits = new RateLimit[own.Limits.Length + 1];
        own.Limits.CopyTo(limits, 0);
        limits[^1] = _perIpLimits.Get(client);
        return limits;
    }

    /// <summary>
    /// The org's per-minute and per-day limits in the caller's mode, and the key's own: made once per
    /// caller (and again when its org's plan changes) rather than on every request.
    /// </summary>
    private static CallerLimits OwnLimits(ApiCaller caller, PlanLimits plan)
    {
        if (ByCaller.TryGetValue(caller, out var cached) && ReferenceEquals(cached.Plan, plan)) return cached;
        var mode = caller.Mode.ToWire();
        RateLimit[] limits =
        [
            new("minute", $"org:{caller.OrgId}:{mode}:minute", plan.PerMinute, TimeSpan.FromMinutes(1)),
            new("day", $"org:{caller.OrgId}:{mode}:day", plan.PerDay, TimeSpan.FromDays(1)),
            .. caller.KeyRateLimitPerMinute is { } keyLimit ? [new RateLimit("key", $"key:{caller.KeyId}:minute", keyLimit, TimeSpan.FromMinutes(1))] : Array.Empty<RateLimit>(),
        ];
        var made = new CallerLimits(plan, limits);
        ByCaller.AddOrUpdate(caller, made);
        return made;
    }

    private sealed record CallerLimits(PlanLimits Plan, RateLimit[] Limits);

    private static readonly ConditionalWeakTable<ApiCaller, CallerLimits> ByCaller = new();

    // The setting is read once, not on each new client address.
    private readonly PerClientCache<RateLimit> _perIpLimits = PerIpLimits(config.GetValue(PerIpSetting, 1000));

    private static PerClientCache<RateLimit> PerIpLimits(int perMinute) =>
        new(client => new("ip", $"ip:{client}:minute", perMinute, TimeSpan.FromMinutes(1)));

    public static void Write(IHeaderDictionary headers, RateLimitState state)
    {
        headers["X-RateLimit-Limit"] = state.Limit.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = state.ResetsAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// For an API answer that did not pass the budget check: a caller with a valid key (refused for a
    /// scope) sees its own limits; anyone else (refused before the key was accepted) sees the
    /// failed-authentication limit of their address, the only one that applies to them. Nothing is spent.
    /// </summary>
    public async Task AddIfMissingAsync(HttpContext ctx)
    {
        if (ctx.Response.Headers.ContainsKey("X-RateLimit-Limit")) return;
        var client = FailedAuthLimiter.ClientOf(ctx.Connection.RemoteIpAddress);
        var now = clock.GetUtcNow();
        RateLimitState? state;
        if (ctx.IsApiCaller())
        {
            var caller = ctx.Caller();
            Plan plan;
            try
            {
                plan = (await orgs.SettingsOfAsync(caller.OrgId, ctx.RequestAborted)).Plan;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return; // The database is out of reach: the refusal goes out without the headers rather than not at all.
            }
            state = counters.Peek(For(caller, plan, client), now).Tightest;
        }
        else
        {
            // Without a client address (only the in-memory test server) no limit applies to the caller.
            if (client is null) return;
            state = counters.Peek([failures.LimitFor(client)], now).Tightest;
        }
        if (state is not null) Write(ctx.Response.Headers, state);
    }
}
