using Nexus.Shared.Accounts;
using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Web.Api.Usage;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Usage.Index;

/// <summary>
/// Usage: one URL. A normal request gets the page; htmx (the period and mode switches) gets the
/// content below the header. RazorView sends <c>Vary: HX-Request</c>.
/// </summary>
public sealed class Endpoint(IQuerySession session, PlanCatalog plans, TimeProvider clock) : Endpoint<UsageQuery>
{
    public override void Configure()
    {
        Get("/usage");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(UsageQuery query, CancellationToken ct)
    {
        var report = await UsageReport.LoadAsync(session, HttpContext.Member().Org, plans, query.ModeValue, query.PeriodValue, null, clock.GetUtcNow(), ct);
        var page = new UsagePage(report, UsageChart.For(report.Summary.Series, report.Summary.Window.Granularity));
        var fragment = HttpContext.Request.IsHtmx() && !HttpContext.Request.Headers.ContainsKey("HX-History-Restore-Request");
        await Send.ResultAsync(fragment ? RazorView.Fragment(UsagePage.ContentView, page) : RazorView.Page(UsagePage.PageView, page));
    }
}
