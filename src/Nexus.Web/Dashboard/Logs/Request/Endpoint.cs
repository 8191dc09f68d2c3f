using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Dashboard.Logs.Index;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Logs.Request;

public sealed class RequestRoute
{
    public string Id { get; set; } = "";
}

/// <summary>
/// One request's log entry, opened: where an API error's <c>request_log_url</c> leads. Another
/// org's request, or one that was never logged or is past retention, is a plain 404 page.
/// </summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : Endpoint<RequestRoute>
{
    public const string View = "~/Dashboard/Logs/Request/Request.cshtml";

    public override void Configure()
    {
        Get("/logs/{id}");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(RequestRoute route, CancellationToken ct)
    {
        var org = HttpContext.Member().Org;
        var log = Ids.IsWellFormed(route.Id, "req") ? await session.LoadAsync<RequestLog>(route.Id, ct) : null;
        if (log is null || log.OrgId != org.Id)
        {
            await Send.ResultAsync(RazorView.Page(View, null, StatusCodes.Status404NotFound));
            return;
        }
        var keys = await LogPage.KeysOfAsync(session, org.Id, [log], ct);
        var caused = await CausedEvents.LoadAsync(session, org.Id, [log.Id], ct);
        DashboardMode.Show(HttpContext, log.Mode);
        var filter = new LogFilter { Mode = log.Mode.ToWire() };
        var page = new LogPage(filter, [log], null, keys, org.RequestLogRetentionDays, clock.GetUtcNow()) { Caused = caused, Expanded = true };
        await Send.ResultAsync(RazorView.Page(View, page));
    }
}
