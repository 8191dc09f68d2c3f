using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;

namespace Nexus.Web.Dashboard.Logs.Index;

/// <summary>
/// One page of an org's request logs in one mode, newest first, the keys to filter by (and to name the
/// rows' keys), and the cursor for the next page. "Load more" rows carry only the keys of their own rows.
/// </summary>
public sealed record LogPage(
    LogFilter Filter, IReadOnlyList<RequestLog> Logs, string? NextBefore, IReadOnlyList<ApiKey> Keys, int RetentionDays, DateTimeOffset Now)
{
    /// <summary>
    /// How many of the mode's requests one page searches when it filters by status, key, method or
    /// path (setting <c>Nexus:Logs:ScanBudget</c>, default 20,000). A filter that matches little
    /// would otherwise read every log the org keeps before answering (an org with millions of logs:
    /// seconds, more from disk); past the budget the page shows what it found and offers to search
    /// further back from where it stopped. A time range narrower than the budget needs none.
    /// </summary>
    public const string ScanBudgetSetting = "Nexus:Logs:ScanBudget";
    public const int DefaultScanBudget = 20_000;

    /// <summary>When the page stopped at the scan budget: the time of the oldest request it searched (the next page starts there).</summary>
    public DateTimeOffset? SearchedBackTo { get; init; }

    public int ScanBudget { get; init; } = DefaultScanBudget;

    /// <summary>"Searched the latest 20,000 requests, back to Nov 24, 14:02 UTC."</summary>
    public string? SearchedText => SearchedBackTo is { } at
        ? $"Searched the latest {ScanBudget:N0} requests, back to {at.UtcDateTime:MMM d, HH:mm:ss} UTC."
        : null;

    private readonly Dictionary<string, string> _names = Keys.ToDictionary(k => k.Id, k => k.Name);

    public const int PageSize = 50;
    public const string PageView = "~/Dashboard/Logs/Index/Index.cshtml";
    public const string ResultsView = "~/Dashboard/Logs/Index/_Results.cshtml";
    public const string RowsView = "~/Dashboard/Logs/Index/_Rows.cshtml";

    public Mode Mode => Filter.ModeValue;

    /// <summary>The name of the key a request was made with, revoked or not; null when its document is gone.</summary>
    public string? KeyName(string keyId) => _names.GetValueOrDefault(keyId);

    /// <summary>Webhook events caused by the requests on this page, by request id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CausedEvent>> Caused { get; init; } = CausedEvents.None;

    /// <summary>Rows open with their detail shown (a single request's page).</summary>
    public bool Expanded { get; init; }

    public static async Task<LogPage> LoadAsync(IQuerySession session, Organization org, LogFilter filter, TimeProvider clock, CancellationToken ct,
        int scanBudget = DefaultScanBudget)
    {
        var now = clock.GetUtcNow();
        var (orgId, mode) = (org.Id, filter.ModeValue);
        var query = session.Query<RequestLog>().Where(l => l.OrgId == orgId && l.Mode == mode);
        if (filter.RangeSpan is { } span)
        {
            var since = now - span;
            query = query.Where(l => l.At >= since);
        }
        // "Load more" names the last row shown (or the last searched). One that is gone (past the retention since) ends the list.
        var cursor = filter.Cursor is { } before ? await RequestLogOrder.CursorAsync(session, orgId, mode, before, ct) : null;
        var cursorGone = filter.Cursor is not null && cursor is null;
        var searched = query;
        if (filter.KnownStatus is { } status) query = query.WithStatusClass(status);
        if (filter.KnownKey is { } keyId) query = query.Where(l => l.KeyId == keyId);
        if (filter.KnownMethod is { } method) query = query.Where(l => l.Method == method);
        if (filter.PathPrefix is { } path) query = query.Where(l => l.Path.StartsWith(path));

        // With a filter on the rows' content, search at most the budget's newest requests (from the cursor);
        // a 4xx or 5xx filter alone reads only the page it shows (RequestLogErrors), however far back.
        RequestLog? boundary = null;
        var errorsOnly = filter.KnownStatus is { } statusClass && RequestLogErrors.Indexes(statusClass)
            && filter.KnownKey is null && filter.KnownMethod is null && filter.PathPrefix is null;
        var filtersContent = !errorsOnly && (filter.KnownStatus is not null || filter.KnownKey is not null || filter.KnownMethod is not null || filter.PathPrefix is not null);
        if (filtersContent && !cursorGone)
        {
            boundary = await RequestLogOrder.NewestFirst(searched, cursor).Skip(scanBudget - 1).FirstOrDefaultAsync(ct);
            if (boundary is not null) query = RequestLogOrder.NotOlderThan(query, boundary);
        }
        var logs = cursorGone
            ? []
            : await RequestLogOrder.NewestFirst(query, cursor).Take(PageSize + 1).ToListAsync(ct);
        var more = logs.Count > PageSize;
        var page = more ? logs.Take(PageSize).ToList() : logs.ToList();
        var stopped = !more && boundary is not null;
        // One query either way. The filter needs every key of the mode, revoked ones too (their requests
        // are still in the logs), and those name the rows as well; "Load more" has no filter to fill, so
        // it loads only the keys its rows were made with.
        var keys = filter.Cursor is null
            ? await session.Query<ApiKey>().Where(k => k.OrgId == orgId && k.Mode == mode).OrderByDescending(k => k.CreatedAt).ToListAsync(ct)
            : await KeysOfAsync(session, orgId, page, ct);
        var caused = await CausedEvents.LoadAsync(session, orgId, page.Select(l => l.Id).ToList(), ct);
        var next = more ? page[^1].Id : stopped ? boundary!.Id : null;
        return new LogPage(filter, page, next, keys, org.RequestLogRetentionDays, now)
        {
            Caused = caused, ScanBudget = scanBudget, SearchedBackTo = stopped ? boundary!.At : null,
        };
    }

    /// <summary>The keys the given requests were made with, in one query by their ids.</summary>
    public static async Task<IReadOnlyList<ApiKey>> KeysOfAsync(IQuerySession session, string orgId, IEnumerable<RequestLog> logs, CancellationToken ct)
    {
        var ids = logs.Select(l => l.KeyId).Distinct().ToArray();
        if (ids.Length == 0) return [];
        return await session.Query<ApiKey>().Where(k => k.OrgId == orgId && ids.Contains(k.Id)).ToListAsync(ct);
    }
}
