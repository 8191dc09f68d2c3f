using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Web.Dashboard.Keys.Table;

/// <summary>One key as a row: its status now and, for a rolled key, the key that replaces it.</summary>
public sealed record KeyRow(ApiKey Key, KeyStatus Status, ApiKey? Successor)
{
    /// <summary>Working, but on its way out because it was rolled (the countdown shows).</summary>
    public bool InGrace => Key.RolledToKeyId is not null && Status is KeyStatus.Active or KeyStatus.Expiring;

    public bool CanRoll => Key.RolledToKeyId is null && Status is KeyStatus.Active or KeyStatus.Expiring;

    public bool CanRevoke => Status is KeyStatus.Active or KeyStatus.Expiring;
}

/// <summary>The keys of one org and mode as the table shows them: working keys first, newest first.</summary>
public sealed record KeyTable(Mode Mode, IReadOnlyList<KeyRow> Rows, DateTimeOffset Now, bool CanManage)
{
    public const string View = "~/Dashboard/Keys/Table/_Table.cshtml";

    public static async Task<KeyTable> LoadAsync(IQuerySession session, string orgId, Mode mode, TimeProvider clock, bool canManage, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().Where(k => k.OrgId == orgId && k.Mode == mode).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var byId = keys.ToDictionary(k => k.Id);
        var rows = keys
            .Select(k => new KeyRow(k, k.StatusAt(now), k.RolledToKeyId is { } next ? byId.GetValueOrDefault(next) : null))
            .OrderBy(r => r.Status switch { KeyStatus.Active or KeyStatus.Expiring => 0, KeyStatus.Expired => 1, _ => 2 })
            .ThenByDescending(r => r.Key.CreatedAt)
            .ToList();
        return new KeyTable(mode, rows, now, canManage);
    }
}
