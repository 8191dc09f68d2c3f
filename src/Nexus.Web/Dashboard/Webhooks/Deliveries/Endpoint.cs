using FastEndpoints;
using Marten;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// The live delivery table: the page polls it every 2 seconds (and on <c>deliveries-changed</c>)
/// with the filter form's values, so rows change state while deliveries happen, without a reload.
/// </summary>
public sealed class Endpoint(IQuerySession session, DeliveryModeColumn modes, TimeProvider clock) : Endpoint<DeliveryFilter>
{
    public override void Configure()
    {
        Get("/webhooks/deliveries");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(DeliveryFilter filter, CancellationToken ct) =>
        await Send.ResultAsync(RazorView.Fragment(DeliveryTable.View,
            await DeliveryTable.LoadAsync(session, modes, HttpContext.Member().Org.Id, filter, clock, ct)));
}
