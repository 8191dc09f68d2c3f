using FastEndpoints;
using Marten;
using Nexus.Web.Dashboard.Keys.Table;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Index;

public sealed record KeysPage(KeyTable Table);

public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/keys");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var table = await KeyTable.LoadAsync(session, member.Org.Id, DashboardMode.Of(HttpContext), clock, member.CanManageKeys(), ct);
        await Send.ResultAsync(RazorView.Page("~/Dashboard/Keys/Index/Index.cshtml", new KeysPage(table)));
    }
}
