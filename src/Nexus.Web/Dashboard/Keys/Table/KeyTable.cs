using Marten;
using Nexus.Shared.Keys;

namespace Nexus.Web.Dashboard.Keys.Table;

/// <summary>The keys of one org as the table shows them: active first, newest first.</summary>
public sealed record KeyTable(IReadOnlyList<ApiKey> Keys, DateTimeOffset Now)
{
    public const string View = "~/Dashboard/Keys/Table/_Table.cshtml";

    public static async Task<KeyTable> LoadAsync(IQuerySession session, string orgId, TimeProvider clock, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().Where(k => k.OrgId == orgId).ToListAsync(ct);
        return new KeyTable(
            keys.OrderBy(k => k.RevokedAt is not null).ThenByDescending(k => k.CreatedAt).ToList(),
            clock.GetUtcNow());
    }
}
