using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Logs.Index;

/// <summary>
/// The request logs: read-only, one URL. A normal request gets the page; htmx gets the results for
/// new filters, or with a cursor just the next rows ("Load more"). RazorView sends
/// <c>Vary: HX-Request</c> so caches keep the shapes apart.
/// </summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock, IConfiguration config) : Endpoint<LogFilter>
{
    public override void Configure()
    {
        Get("/logs");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(LogFilter filter, CancellationToken ct)
    {
        var budget = Math.Max(1, config.GetValue(LogPage.ScanBudgetSetting, LogPage.DefaultScanBudget));
        var page = await LogPage.LoadAsync(session, HttpContext.Member().Org, filter, clock, ct, budget);
        // Back/forward after hx-push-url asks for the URL again with this header and expects the whole page.
        var fragment = HttpContext.Request.IsHtmx() && !HttpContext.Request.Headers.ContainsKey("HX-History-Restore-Request");
        var view = !fragment ? LogPage.PageView
            : filter.Cursor is null ? LogPage.ResultsView
            : LogPage.RowsView;
        await Send.ResultAsync(fragment ? RazorView.Fragment(view, page) : RazorView.Page(view, page));
    }
}
