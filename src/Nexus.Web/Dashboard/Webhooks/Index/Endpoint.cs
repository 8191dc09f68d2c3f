using FastEndpoints;
using Marten;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Deliveries;
using Nexus.Web.Dashboard.Webhooks.Delivery;
using Nexus.Web.Dashboard.Webhooks.Endpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Index;

/// <summary>The Webhooks page in one mode: the endpoints panel, the live delivery table and, when asked for, one delivery opened.</summary>
public sealed record WebhooksPage(EndpointList Endpoints, DeliveryTable Deliveries, DeliveryDetail? Opened, IReadOnlyList<string> CustomTypes)
{
    public DeliveryFilter Filter => Deliveries.Filter;

    /// <summary>How many days events and their deliveries are kept (<see cref="EventRetentionPolicy"/>), or null: forever.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>
    /// The custom types the type filter offers: those sent lately, and the one in the URL if it is
    /// custom and not among them, so the filter shows what is applied.
    /// </summary>
    public IReadOnlyList<string> CustomTypeOptions =>
        Filter.KnownType is { } type && EventCatalog.IsCustom(type) && !CustomTypes.Contains(type) ? [.. CustomTypes, type] : CustomTypes;
}

/// <summary>
/// The page itself; its panels are fragments with their own URLs (<c>/webhooks/endpoints</c>,
/// <c>/webhooks/deliveries</c>), so after a change only what changed is fetched again.
/// </summary>
public sealed class Endpoint(IQuerySession session, DeliveryModeColumn modes, TimeProvider clock, EventRetentionPolicy retention) : Endpoint<DeliveryFilter>
{
    public override void Configure()
    {
        Get("/webhooks");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(DeliveryFilter filter, CancellationToken ct)
    {
        var member = HttpContext.Member();
        var mode = filter.ModeValue;
        var endpoints = await EndpointList.LoadAsync(session, member, mode, clock, ct);
        var deliveries = await DeliveryTable.LoadAsync(session, modes, member.Org.Id, filter, clock, ct);
        var opened = filter.KnownDelivery is { } id
            ? await DeliveryDetail.LoadAsync(session, member.Org.Id, mode, id, member.CanManageWebhooks(), clock, ct)
            : null;
        var customTypes = await CustomEventTypes.LoadAsync(session, member.Org.Id, mode, clock, ct);
        await Send.ResultAsync(RazorView.Page("~/Dashboard/Webhooks/Index/Index.cshtml", new WebhooksPage(endpoints, deliveries, opened, customTypes)
        {
            RetentionDays = retention.Days,
        }));
    }
}
