using Nexus.Shared.Common;
using Nexus.Shared.Usage;
using Nexus.Web.Api.Usage;

namespace Nexus.Web.Dashboard.Usage.Index;

/// <summary>The Usage page's query string: period and mode, both kept in the URL.</summary>
public sealed class UsageQuery
{
    /// <summary><c>24h</c>, <c>7d</c> (default) or <c>30d</c>.</summary>
    public string? Period { get; set; }

    /// <summary><c>test</c> (default) or <c>live</c>.</summary>
    public string? Mode { get; set; }

    public UsagePeriod PeriodValue => UsagePeriods.TryParse(Period, out var p) ? p : UsagePeriod.Last7Days;

    public Nexus.Shared.Common.Mode ModeValue => ModeNames.OrTest(Mode);
}

/// <summary>What the Usage page shows: the report (shared with <c>GET /api/v1/usage</c>) and its chart.</summary>
public sealed record UsagePage(UsageReport Report, UsageChart Chart)
{
    public const string PageView = "~/Dashboard/Usage/Index/Index.cshtml";
    public const string ContentView = "~/Dashboard/Usage/Index/_Content.cshtml";

    public UsageSummary Summary => Report.Summary;

    public Mode Mode => Report.Mode;

    public UsagePeriod Period => Summary.Window.Period;

    public bool Empty => Summary.Totals.Requests == 0 && Report.OrgNow is { ThisMinute: 0, Today: 0 };

    /// <summary>
    /// A table's one row while today's first requests are counted (live, above) but not yet in the
    /// hourly roll-ups the tables come from: an empty table alone reads as "nothing happened".
    /// </summary>
    public const string RollupPending = "Nothing in the roll-ups for this period yet. The worker adds new requests within a minute.";

    public string PeriodText => Period switch
    {
        UsagePeriod.Last24Hours => "the last 24 hours",
        UsagePeriod.Last7Days => "the last 7 days",
        _ => "the last 30 days",
    };

    public string Href(UsagePeriod period, Mode mode) => $"/usage?period={period.ToWire()}&mode={mode.ToWire()}";

    public static UsageChart SparkFor(IReadOnlyList<UsageBucket> series, UsageGranularity granularity) =>
        UsageChart.For(series, granularity, UsageChart.SparkHeight);

    public static string Percent(double share) => share switch
    {
        0 => "0 %",
        < 0.001 => "< 0.1 %",
        _ => (share * 100).ToString(share < 0.1 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture) + " %",
    };

    public static string Ms(double? ms) => ms switch
    {
        null => "—",
        >= 1000 => (ms.Value / 1000).ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) + " s",
        >= 10 => ms.Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms",
        _ => ms.Value.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) + " ms",
    };

    /// <summary>A meter's level: fine, close (80 % or more) or at the limit.</summary>
    public static string MeterClass(long used, long limit) =>
        used >= limit ? "meter meter-full" : used * 5 >= limit * 4 ? "meter meter-close" : "meter";
}
