using Nexus.Shared.Accounts;
using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Settings.Index;

public sealed class Endpoint(IQuerySession session, PlanCatalog plans, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/settings");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.ResultAsync(RazorView.Page(SettingsPage.View, await SettingsPage.LoadAsync(session, HttpContext.Member(), plans, clock, ct)));
}
