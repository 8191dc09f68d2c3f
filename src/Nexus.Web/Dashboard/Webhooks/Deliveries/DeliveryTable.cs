using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// One page of an org's deliveries in one mode that match the filters, newest first (the newest
/// page, or the page before <see cref="DeliveryFilter.Before"/>), and the endpoints they went to.
/// </summary>
public sealed record DeliveryTable(DeliveryFilter Filter, IReadOnlyList<WebhookDelivery> Deliveries, bool HasOlder,
    IReadOnlyDictionary<string, WebhookEndpoint> Endpoints, DateTimeOffset Now)
{
    public const int Size = 50;
    public const string View = "~/Dashboard/Webhooks/Deliveries/_Deliveries.cshtml";

    public Mode Mode => Filter.ModeValue;

    public string? UrlOf(string endpointId) => Endpoints.GetValueOrDefault(endpointId)?.Url;

    /// <summary>Whether the mode has an endpoint that is not deleted: the empty table's hint depends on it.</summary>
    public bool HasEndpoints => Endpoints.Values.Any(e => !e.Deleted);

    /// <summary>This page's query string: what the table polls, so an older page stays that page while its rows update.</summary>
    public string Query => Filter.Query(Filter.KnownBefore);

    public string OlderQuery => Filter.Query(Deliveries[^1].Id);

    public string NewestQuery => Filter.Query(null);

    public static async Task<DeliveryTable> LoadAsync(IQuerySession session, DeliveryModeColumn modes, string orgId, DeliveryFilter filter, TimeProvider clock, CancellationToken ct)
    {
        var mode = filter.ModeValue;
        var now = clock.GetUtcNow();
        var query = await modes.InModeAsync(session.Query<WebhookDelivery>(), orgId, mode, ct);
        if (filter.KnownEndpoint is { } endpointId) query = query.Where(d => d.EndpointId == endpointId);
        if (filter.KnownStatus is { } state) query = DeliveryBadge.Where(query, state, now);
        if (filter.KnownType is { } type) query = query.Where(d => d.EventType == type);
        // Delivery ids are time-ordered, so "older than the cursor" is a comparison on the key, as in the API.
        if (filter.KnownBefore is { } before) query = query.Where(d => string.Compare(d.Id, before) < 0);
        var (deliveries, hasOlder) = await ApiQuery.NewestFirstAsync(query, d => d.Id, Size, ct);
        // Deleted endpoints too: their deliveries stay in the history.
        var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.OrgId == orgId && e.Mode == mode).ToListAsync(ct);
        return new DeliveryTable(filter, deliveries, hasOlder, endpoints.ToDictionary(e => e.Id), now);
    }
}
