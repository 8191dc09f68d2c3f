using Nexus.Shared.Accounts;
using FastEndpoints;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Create;

/// <summary>The empty create-key form, opened into the page's key panel.</summary>
public sealed class Endpoint(PlanCatalog plans) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/keys/new");
        Group<DashboardGroup>();
        Definition.PreProcessor<KeyManagersOnly>(Order.After);
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Fragment(CreatePanel.View, CreatePanel.Empty(plans.For(HttpContext.Member().Org.Plan), DashboardMode.Of(HttpContext))));
}
