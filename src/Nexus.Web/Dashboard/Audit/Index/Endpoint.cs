using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Audit.Index;

/// <summary>
/// The audit log: read-only, one URL. A normal request gets the page; htmx gets the results for
/// new filters, or with a cursor just the next rows ("Load more"). RazorView sends
/// <c>Vary: HX-Request</c> so caches keep the shapes apart.
/// </summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : Endpoint<AuditFilter>
{
    public override void Configure()
    {
        Get("/audit");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(AuditFilter filter, CancellationToken ct)
    {
        var page = await AuditPage.LoadAsync(session, HttpContext.Member().Org.Id, filter, clock, ct);
        // Back/forward after hx-push-url asks for the URL again with this header and expects the whole page.
        var fragment = HttpContext.Request.IsHtmx() && !HttpContext.Request.Headers.ContainsKey("HX-History-Restore-Request");
        var view = !fragment ? AuditPage.PageView
            : string.IsNullOrEmpty(filter.Before) ? AuditPage.ResultsView
            : AuditPage.RowsView;
        await Send.ResultAsync(fragment ? RazorView.Fragment(view, page) : RazorView.Page(view, page));
    }
}
