using Marten;
using Nexus.Shared.Common;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// The order every list of request logs pages in: newest first by time, then by id, on the
/// (org_id, mode, at) index, so a page reads its own rows (and those its filters skip) and stops.
/// Ordered by id alone, as other lists are, PostgreSQL had no index to walk: every page read and
/// sorted all the org's logs (830 ms for 14,400 rows from disk, growing with traffic and retention).
/// </summary>
public static class RequestLogOrder
{
    /// <summary>
    /// The log a cursor names, when it is one of the org's in that mode: its time places the next
    /// page. One primary-key lookup.
    /// </summary>
    public static Task<RequestLog?> CursorAsync(IQuerySession session, string orgId, Mode mode, string cursor, CancellationToken ct) =>
        session.Query<RequestLog>().Where(l => l.Id == cursor && l.OrgId == orgId && l.Mode == mode).FirstOrDefaultAsync(ct);

    /// <summary><paramref name="query"/> newest first, after <paramref name="cursor"/> when there is one.</summary>
    public static IQueryable<RequestLog> NewestFirst(IQueryable<RequestLog> query, RequestLog? cursor)
    {
        if (cursor is { At: var at, Id: var id })
            // "at <= cursor's" lets the index start at the cursor; the rest breaks ties within its microsecond.
            query = query.Where(l => l.At <= at && (l.At < at || string.Compare(l.Id, id) < 0));
        return query.OrderByDescending(l => l.At).ThenByDescending(l => l.Id);
    }

    /// <summary><paramref name="query"/> from <paramref name="oldest"/> (included) to the newest: the other side of a cursor.</summary>
    public static IQueryable<RequestLog> NotOlderThan(IQueryable<RequestLog> query, RequestLog oldest)
    {
        var (at, id) = (oldest.At, oldest.Id);
        return query.Where(l => l.At >= at && (l.At > at || string.Compare(l.Id, id) >= 0));
    }
}
