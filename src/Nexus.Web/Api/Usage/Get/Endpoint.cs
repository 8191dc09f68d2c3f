using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Usage;
using Nexus.Web.Api.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Usage.Get;

public sealed class Endpoint(IQuerySession session, PlanCatalog plans, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/usage");
        Scopes(KeyScopes.ReadLogs);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve usage";
            s.Description = "Requests made with the org's keys in the caller's mode over the last 24 hours, 7 days or 30 days: totals, "
                + "error rate, latency (average and p95), rate-limit refusals, a zero-filled time series, figures per key and the busiest "
                + "endpoints. Also the plan's per-minute and per-day limits, each key's own per-minute limit, and what is used of them now. "
                + "Figures come from hourly roll-ups the worker refreshes every minute, so the latest minute may not be counted yet.";
            s.ResponseExamples[200] = UsageExample.Response;
        });
        Description(b => b.WithTags(ApiTags.Usage).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        UsagePeriods.TryParse(req.Period ?? UsagePeriod.Last7Days.ToWire(), out var period);
        var org = await KeyApi.LoadOrgAsync(session, caller.OrgId, ct);
        var report = await UsageReport.LoadAsync(session, org, plans, caller.Mode, period, req.KeyId, clock.GetUtcNow(), ct);
        await Send.OkAsync(ToResponse(report), ct);
    }

    private static Response ToResponse(UsageReport report)
    {
        var summary = report.Summary;
        return new Response
        {
            Period = summary.Window.Period.ToWire(),
            Mode = report.Mode.ToWire(),
            KeyId = report.KeyFilter,
            Granularity = summary.Window.Granularity == UsageGranularity.Hour ? "hour" : "day",
            From = summary.Window.From,
            To = summary.Window.To,
            Limits = new UsageLimits
            {
                Plan = report.Org.Plan.ToString().ToLowerInvariant(),
                PerMinute = report.Limits.PerMinute,
                PerDay = report.Limits.PerDay,
                UsedThisMinute = report.OrgNow.ThisMinute,
                UsedToday = report.OrgNow.Today,
            },
            Totals = UsageTotalsView.From(summary.Totals),
            Series = summary.Series.Select(UsageBucketView.From).ToList(),
            Keys = summary.Keys.Select(k => new KeyUsageView
            {
                KeyId = k.KeyId,
                KeyPrefix = k.KeyPrefix,
                Name = report.KeyOf(k.KeyId)?.Name,
                RateLimitPerMinute = report.KeyOf(k.KeyId)?.RateLimitPerMinute,
                UsedThisMinute = report.NowOf(k.KeyId).ThisMinute,
                UsedToday = report.NowOf(k.KeyId).Today,
                Totals = UsageTotalsView.From(k.Totals),
                Series = k.Series.Select(UsageBucketView.From).ToList(),
            }).ToList(),
            Endpoints = summary.Endpoints.Select(e => new EndpointUsageView { Method = e.Method, Route = e.Route, Totals = UsageTotalsView.From(e.Totals) }).ToList(),
        };
    }
}
