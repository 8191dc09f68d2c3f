using Marten;
using Marten.Linq.MatchesSql;
using Nexus.Shared.Audit;

namespace Nexus.Web.Dashboard.Audit.Index;

/// <summary>One page of an org's audit entries, newest first, and the cursor for the next.</summary>
public sealed record AuditPage(AuditFilter Filter, IReadOnlyList<AuditEntry> Entries, string? NextBefore, DateTimeOffset Now)
{
    public const int PageSize = 25;
    public const string PageView = "~/Dashboard/Audit/Index/Index.cshtml";
    public const string ResultsView = "~/Dashboard/Audit/Index/_Results.cshtml";
    public const string RowsView = "~/Dashboard/Audit/Index/_Rows.cshtml";

    public static async Task<AuditPage> LoadAsync(IQuerySession session, string orgId, AuditFilter filter, TimeProvider clock, CancellationToken ct)
    {
        var mode = filter.ModeValue;
        var query = session.Query<AuditEntry>().Where(e => e.OrgId == orgId && e.Mode == mode);
        if (filter.KnownAction is { } action) query = query.Where(e => e.Action == action);
        if (filter.ActorText is { } actor) query = query.Where(e => e.ActorLabel.Contains(actor, StringComparison.OrdinalIgnoreCase));
        if (filter.FromAt is { } from) query = query.Where(e => e.At >= from);
        if (filter.ToAt is { } to) query = query.Where(e => e.At < to);
        // Ids are time-ordered (UUIDv7 in sortable base32), so the id is the cursor: stable even when entries share a timestamp.
        if (!string.IsNullOrEmpty(filter.Before)) query = query.Where(e => e.MatchesSql("d.id < ?", filter.Before));

        var entries = await query.OrderByDescending(e => e.Id).Take(PageSize + 1).ToListAsync(ct);
        var more = entries.Count > PageSize;
        var page = more ? entries.Take(PageSize).ToList() : entries.ToList();
        return new AuditPage(filter, page, more ? page[^1].Id : null, clock.GetUtcNow());
    }
}
