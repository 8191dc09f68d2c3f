using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// The <c>custom.*</c> event types an org has sent in one mode (<c>POST /api/v1/events</c>), most
/// recently sent first, for the deliveries' type filter: the catalog cannot list them. One grouped
/// query over the org's events of the last <see cref="Window"/> (events are kept, so without a window
/// its cost would grow with the org's history), capped at <see cref="Max"/> types.
/// </summary>
public static class CustomEventTypes
{
    public const int Max = 50;
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    public static async Task<IReadOnlyList<string>> LoadAsync(IQuerySession session, string orgId, Mode mode, TimeProvider clock, CancellationToken ct)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(WebhookEvent)).TableName.QualifiedName;
        // Mode is stored as its name (EnumStorage.AsString); the type's prefix has no LIKE wildcards to escape.
        var sql = $"""
            select t.type from (
              select d.data ->> 'Type' as type, max(d.created_at) as last
              from {table} as d
              where d.org_id = ? and d.created_at >= ? and d.data ->> 'Mode' = ? and d.data ->> 'Type' like '{EventCatalog.CustomPrefix}%'
              group by 1
            ) as t
            order by t.last desc, t.type
            limit {Max}
            """;
        return await session.AdvancedSql.QueryAsync<string>(sql, ct, orgId, clock.GetUtcNow() - Window, mode.ToString());
    }
}
