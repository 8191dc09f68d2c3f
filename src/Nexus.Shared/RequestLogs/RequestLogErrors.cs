using Marten;
using Marten.Linq.MatchesSql;
using Nexus.Shared.Store;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// The logs of failed requests (status 400 and up) have an index of their own, by org, mode, status
/// class, time and id, so the filter a support engineer reaches for first, 4xx or 5xx, reads only the
/// page it shows, however long ago the failures were. Through the list index it read every newer
/// log of the org: in a probe with 300,000 logs whose 5xx were all weeks old, 293,000 rows and 164 ms.
/// The index is partial: successful requests, most of a healthy API's, write no entry in it.
/// </summary>
public static class RequestLogErrors
{
    public const string Name = "mt_doc_requestlog_idx_errors";

    /// <summary>The lowest status the index holds (its predicate says 400 too).</summary>
    public const int From = 400;

    /// <summary>The status as the index and its queries read it from the JSON.</summary>
    private const string Status = "((data ->> 'Status'::text))::integer";

    /// <summary>
    /// The status class (2 for 2xx), written as a CAST: Weasel reads an index's columns back as CASTs
    /// (<c>x::integer / 100</c> becomes <c>CAST(x as integer / 100)</c>), and compares what it would
    /// write with that; written any other way, it would find the index changed and rebuild it at every start-up.
    /// </summary>
    private const string Class = "CAST(data ->> 'Status' as integer) / 100";

    /// <summary>The same, as Marten's LINQ names the table (<c>d</c>).</summary>
    private const string StatusInQuery = "CAST(d.data ->> 'Status' as integer)";

    /// <summary>"?" is id, the column the index is attached to: (at, id) is the order every list of logs pages in (<see cref="RequestLogOrder"/>).</summary>
    public const string Mask = $"org_id, {ListIndex.ModeInDocument}, ({Class}), at, ?";

    /// <summary>
    /// Written so that Weasel's DDL (which wraps it in parentheses) reads as PostgreSQL prints the
    /// index back, and Weasel finds the index unchanged at the next start-up instead of rebuilding it.
    /// </summary>
    public const string Predicate = $"{Status} >= 400";

    /// <summary>The lowest status of a class as the API and the Logs page name it (<c>2xx</c> … <c>5xx</c>, already validated).</summary>
    public static int Low(string statusClass) => (statusClass[0] - '0') * 100;

    /// <summary>Whether the failed requests' index serves <paramref name="statusClass"/> (4xx and 5xx).</summary>
    public static bool Indexes(string statusClass) => Low(statusClass) >= From;

    /// <summary>
    /// Only responses of <paramref name="statusClass"/> (<c>2xx</c> … <c>5xx</c>). For 4xx and 5xx the
    /// query also carries the index's expression and predicate as literals: PostgreSQL uses a partial
    /// index only when it can prove the query implies the predicate, which it cannot from a parameter
    /// once a prepared statement runs on a generic plan.
    /// </summary>
    public static IQueryable<RequestLog> WithStatusClass(this IQueryable<RequestLog> query, string statusClass)
    {
        var low = Low(statusClass);
        if (low >= From)
            return query.Where(l => l.MatchesSql($"{StatusInQuery} >= {From} and {StatusInQuery} / 100 = {low / 100}"));
        var high = low + 100;
        return query.Where(l => l.Status >= low && l.Status < high);
    }
}
