using Marten;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// The <c>custom.*</c> event types an org has sent in one mode (<c>POST /api/v1/events</c>) within
/// the last <see cref="Window"/>, most recently sent first, for the deliveries' type filter: the
/// catalog cannot list them. Capped at <see cref="Max"/> types.
/// <para>
/// Read off <see cref="CustomEventTypeIndex"/> (custom events only, by org, mode, type and time),
/// skipping from one type to the next, so the page costs about two index descents per type the org
/// has ever sent, however many events it sent. Grouping the window's events instead read all of
/// them on every load of the deliveries page: 780 ms for an org with 300,000 events, growing with
/// its traffic. PostgreSQL has no skip scan before version 18, hence the recursive query.
/// </para>
/// </summary>
public static class CustomEventTypes
{
    public const int Max = 50;
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    /// <summary>
    /// How many distinct types it looks at, in name order, at most: an org that sent thousands of
    /// custom types (a type per customer, say) still gets a bounded page, offered the most recent of
    /// the first thousand names.
    /// </summary>
    public const int MaxScanned = 1_000;

    public static async Task<IReadOnlyList<string>> LoadAsync(IQuerySession session, string orgId, Mode mode, TimeProvider clock, CancellationToken ct) =>
        await session.AdvancedSql.QueryAsync<string>(Sql(session.DocumentStore), ct, Parameters(orgId, mode, clock.GetUtcNow()));

    /// <summary>The query, with Marten's positional parameters (<see cref="Parameters"/>).</summary>
    public static string Sql(IDocumentStore store)
    {
        var events = store.Options.Schema.For<WebhookEvent>();
        // Each subquery repeats the index's predicate and expressions, so PostgreSQL can use it.
        var custom = $"d.org_id = ? and {CustomEventTypeIndex.Mode} = ? and {CustomEventTypeIndex.Predicate}";
        return $"""
            with recursive types(type, n) as (
              (select {CustomEventTypeIndex.Type}, 1 from {events} d where {custom} order by 1 limit 1)
              union all
              select (select {CustomEventTypeIndex.Type} from {events} d where {custom} and {CustomEventTypeIndex.Type} > t.type order by 1 limit 1), t.n + 1
              from types t where t.type is not null and t.n < {MaxScanned}
            )
            select t.type from types t
            cross join lateral (
              select d.created_at from {events} d
              where {custom} and {CustomEventTypeIndex.Type} = t.type and d.created_at >= ?
              order by d.created_at desc limit 1) last
            order by last.created_at desc, t.type
            limit {Max}
            """;
    }

    /// <summary>
    /// In the order <see cref="Sql"/> uses them: the org and mode three times, then the start of the
    /// window. Mode is stored as its name (EnumStorage.AsString).
    /// </summary>
    public static object[] Parameters(string orgId, Mode mode, DateTimeOffset now)
    {
        var name = mode.ToString();
        return [orgId, name, orgId, name, orgId, name, now - Window];
    }
}

/// <summary>
/// The index of custom events (<see cref="CustomEventTypes"/>): partial, so the catalog's events,
/// most of an org's, write no entry in it.
/// </summary>
public static class CustomEventTypeIndex
{
    public const string Name = "mt_doc_webhookevent_idx_custom_type";
    public const string Mode = "(d.data ->> 'Mode')";
    public const string Type = "(d.data ->> 'Type')";

    /// <summary>
    /// Written as PostgreSQL prints it back (<c>~~</c> is LIKE), so that Weasel finds the index it
    /// made unchanged at the next start-up instead of rebuilding it. The type's prefix has no LIKE
    /// wildcards to escape.
    /// </summary>
    public const string Predicate = $"((data ->> 'Type'::text) ~~ '{EventCatalog.CustomPrefix}%'::text)";

    /// <summary>"?" is created_at, the column the index is attached to.</summary>
    public const string Mask = $"org_id, {Store.ListIndex.ModeInDocument}, (data ->> 'Type'), ?";
}
