using Marten;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Logs.Index;

/// <summary>A webhook event an API request caused, with the deliveries it was queued for.</summary>
public sealed record CausedEvent(WebhookEvent Event, IReadOnlyList<WebhookDelivery> Deliveries);

/// <summary>
/// The events the requests on one page of logs caused, by request id, so a log's detail can link
/// a write to the webhooks it sent: two queries for the whole page, by the events' request id
/// column and the deliveries' event id column.
/// </summary>
public static class CausedEvents
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<CausedEvent>> None = new Dictionary<string, IReadOnlyList<CausedEvent>>();

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<CausedEvent>>> LoadAsync(
        IQuerySession session, string orgId, IReadOnlyCollection<string> requestIds, CancellationToken ct)
    {
        if (requestIds.Count == 0) return None;
        var ids = requestIds.ToArray();
        var events = await session.Query<WebhookEvent>().Where(e => e.OrgId == orgId && ids.Contains(e.RequestId)).ToListAsync(ct);
        if (events.Count == 0) return None;
        var eventIds = events.Select(e => e.Id).ToArray();
        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.OrgId == orgId && eventIds.Contains(d.EventId)).ToListAsync(ct);
        var byEvent = deliveries.ToLookup(d => d.EventId);
        return events
            .GroupBy(e => e.RequestId!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CausedEvent>)g.OrderBy(e => e.Id)
                .Select(e => new CausedEvent(e, byEvent[e.Id].OrderBy(d => d.CreatedAt).ToList())).ToList());
    }
}
