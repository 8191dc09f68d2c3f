using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>The newest deliveries of an org in one mode that match the filters, and the endpoints they went to.</summary>
public sealed record DeliveryTable(DeliveryFilter Filter, IReadOnlyList<WebhookDelivery> Deliveries, IReadOnlyDictionary<string, WebhookEndpoint> Endpoints, DateTimeOffset Now)
{
    public const int Size = 50;
    public const string View = "~/Dashboard/Webhooks/Deliveries/_Deliveries.cshtml";

    public Mode Mode => Filter.ModeValue;

    public string? UrlOf(string endpointId) => Endpoints.GetValueOrDefault(endpointId)?.Url;

    public static async Task<DeliveryTable> LoadAsync(IQuerySession session, string orgId, DeliveryFilter filter, TimeProvider clock, CancellationToken ct)
    {
        var mode = filter.ModeValue;
        var query = session.Query<WebhookDelivery>().Where(d => d.OrgId == orgId && d.Mode == mode);
        if (filter.KnownEndpoint is { } endpointId) query = query.Where(d => d.EndpointId == endpointId);
        if (filter.KnownStatus is { } status) query = query.Where(d => d.Status == status);
        if (filter.KnownType is { } type) query = query.Where(d => d.EventType == type);
        // Delivery ids are time-ordered: the id breaks ties between deliveries created in the same instant.
        var deliveries = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Size).ToListAsync(ct);
        // Deleted endpoints too: their deliveries stay in the history.
        var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.OrgId == orgId && e.Mode == mode).ToListAsync(ct);
        return new DeliveryTable(filter, deliveries, endpoints.ToDictionary(e => e.Id), clock.GetUtcNow());
    }
}
