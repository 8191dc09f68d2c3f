using System.Globalization;
using FastEndpoints;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Web.Dashboard.Audit.Index;

/// <summary>The audit page's query string: the filters (kept in the URL, so a filtered view can be shared) and the cursor.</summary>
public sealed class AuditFilter
{
    /// <summary><c>test</c> or <c>live</c>: the dashboard's mode (entries about the other mode's keys and endpoints are not shown).</summary>
    public string? Mode { get; set; }

    public Nexus.Shared.Common.Mode ModeValue => ModeNames.OrTest(Mode);

    /// <summary>One of <see cref="AuditActions.All"/>; anything else means every action.</summary>
    public string? Action { get; set; }

    /// <summary>Part of the actor's email or key prefix.</summary>
    public string? Actor { get; set; }

    /// <summary>First day shown (<c>yyyy-MM-dd</c>, UTC).</summary>
    public string? From { get; set; }

    /// <summary>Last day shown (<c>yyyy-MM-dd</c>, UTC), inclusive.</summary>
    public string? To { get; set; }

    /// <summary>"Load more": entries older than this entry id.</summary>
    [BindFrom("before")]
    public string? Before { get; set; }

    public string? KnownAction => AuditActions.All.Contains(Action) ? Action : null;

    public string? ActorText => string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim();

    public DateTimeOffset? FromAt => Day(From);

    /// <summary>The end of the <see cref="To"/> day: the range includes it.</summary>
    public DateTimeOffset? ToAt => Day(To)?.AddDays(1);

    public bool FromInvalid => !string.IsNullOrWhiteSpace(From) && FromAt is null;
    public bool ToInvalid => !string.IsNullOrWhiteSpace(To) && Day(To) is null;

    public bool Any => KnownAction is not null || ActorText is not null || FromAt is not null || ToAt is not null;

    /// <summary>The query string of these filters (no cursor), for "Load more" links.</summary>
    public string Query(string? before = null)
    {
        var parts = new List<string> { "mode=" + ModeValue.ToWire() };
        if (KnownAction is { } a) parts.Add("action=" + Uri.EscapeDataString(a));
        if (ActorText is { } actor) parts.Add("actor=" + Uri.EscapeDataString(actor));
        if (FromAt is not null) parts.Add("from=" + Uri.EscapeDataString(From!.Trim()));
        if (Day(To) is not null) parts.Add("to=" + Uri.EscapeDataString(To!.Trim()));
        if (before is not null) parts.Add("before=" + Uri.EscapeDataString(before));
        return string.Join("&", parts);
    }

    /// <summary>A day up to 9998-12-31: the range's end is the next midnight, and 9999-12-31 has none (it was a 500).</summary>
    private static DateTimeOffset? Day(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year < 9999
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}
