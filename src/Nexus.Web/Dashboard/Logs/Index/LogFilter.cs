using FastEndpoints;
using Nexus.Shared.Common;

namespace Nexus.Web.Dashboard.Logs.Index;

/// <summary>
/// The Logs page's query string: mode, filters (kept in the URL so a filtered view can be shared)
/// and the cursor. Values the form cannot produce are ignored rather than refused (this is a page, not
/// the API), and the page says which were ignored (<see cref="Ignored"/>), so an edited or stale link
/// does not silently show more than it asked for.
/// </summary>
public sealed class LogFilter
{
    public static readonly string[] StatusClasses = ["2xx", "3xx", "4xx", "5xx"];
    public static readonly string[] Methods = Nexus.Shared.RequestLogs.RequestLog.Methods;

    /// <summary>Time ranges offered, newest first; none means everything kept (the org's retention).</summary>
    public static readonly (string Value, string Label, TimeSpan Span)[] Ranges =
    [
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromDays(1)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
    ];

    /// <summary><c>test</c> (default) or <c>live</c>.</summary>
    public string? Mode { get; set; }

    public string? Status { get; set; }

    /// <summary>A key id.</summary>
    public string? Key { get; set; }

    public string? Method { get; set; }

    /// <summary>A path prefix, e.g. <c>/api/v1/notes</c>.</summary>
    public string? Path { get; set; }

    public string? Range { get; set; }

    /// <summary>"Load more": requests older than this request id.</summary>
    [BindFrom("before")]
    public string? Before { get; set; }

    public Nexus.Shared.Common.Mode ModeValue => ModeNames.OrTest(Mode);

    public string? KnownStatus => StatusClasses.Contains(Status) ? Status : null;

    public string? KnownKey => Ids.IsWellFormed(Key ?? "", "key") ? Key : null;

    public string? KnownMethod => Methods.Contains(Method) ? Method : null;

    /// <summary>The path prefix, with a leading slash added when it was typed without one.</summary>
    public string? PathPrefix => string.IsNullOrWhiteSpace(Path) ? null
        : Path.Trim() is var p && p.Length <= 512 ? (p.StartsWith('/') ? p : "/" + p) : null;

    public TimeSpan? RangeSpan => Ranges.FirstOrDefault(r => r.Value == Range).Span is { Ticks: > 0 } span ? span : null;

    public string? KnownRange => RangeSpan is null ? null : Range;

    public string? Cursor => Ids.IsWellFormed(Before ?? "", "req") ? Before : null;

    /// <summary>Filters given in the URL that this page does not offer, as name and value.</summary>
    public IEnumerable<(string Name, string Value)> Ignored
    {
        get
        {
            if (!string.IsNullOrEmpty(Status) && KnownStatus is null) yield return ("status", Status);
            if (!string.IsNullOrEmpty(Key) && KnownKey is null) yield return ("key", Key);
            if (!string.IsNullOrEmpty(Method) && KnownMethod is null) yield return ("method", Method);
            if (!string.IsNullOrWhiteSpace(Path) && PathPrefix is null) yield return ("path", Path);
            if (!string.IsNullOrEmpty(Range) && KnownRange is null) yield return ("range", Range);
        }
    }

    public bool Any => KnownStatus is not null || KnownKey is not null || KnownMethod is not null || PathPrefix is not null || KnownRange is not null;

    /// <summary>The query string of the mode and these filters, plus a cursor when given.</summary>
    public string Query(string? before = null)
    {
        var parts = new List<string> { "mode=" + ModeValue.ToWire() };
        if (KnownStatus is { } s) parts.Add("status=" + s);
        if (KnownKey is { } k) parts.Add("key=" + k);
        if (KnownMethod is { } m) parts.Add("method=" + m);
        if (PathPrefix is { } p) parts.Add("path=" + Uri.EscapeDataString(p));
        if (KnownRange is { } r) parts.Add("range=" + r);
        if (before is not null) parts.Add("before=" + before);
        return string.Join("&", parts);
    }
}
