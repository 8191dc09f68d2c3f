using System.Globalization;
using Nexus.Shared.Usage;

namespace Nexus.Web.Dashboard.Usage.Index;

/// <summary>One bucket drawn as a bar: horizontal position and width in percent of the plot, heights in pixels.</summary>
public sealed record ChartBar(string X, string Width, double OkY, double OkHeight, double ErrorY, double ErrorHeight, string Label, UsageBucket Bucket);

/// <summary>A label under the bars at <see cref="X"/> percent; minor ones are hidden on narrow screens.</summary>
public sealed record ChartTick(string X, string Label, bool Minor);

/// <summary>
/// A server-drawn bar chart of a usage series. The CSP forbids inline styles, so the geometry is
/// all SVG attributes: percentages across (the chart stretches with the page while text keeps its
/// size) and pixels up. Each bar stacks errors on successes.
/// </summary>
public sealed record UsageChart(IReadOnlyList<ChartBar> Bars, IReadOnlyList<ChartTick> Ticks, long Max, IReadOnlyList<string> YLabels, double PlotHeight)
{
    public const double MainHeight = 200;
    public const double SparkHeight = 28;

    public static UsageChart For(IReadOnlyList<UsageBucket> series, UsageGranularity granularity, double plotHeight = MainHeight)
    {
        var max = NiceMax(series.Count == 0 ? 0 : series.Max(b => b.Requests));
        var slot = 100.0 / Math.Max(series.Count, 1);
        var bars = series.Select((b, i) =>
        {
            var total = b.Requests / (double)max * plotHeight;
            var errors = b.Errors / (double)max * plotHeight;
            // A bucket with requests always shows at least a sliver.
            if (b.Requests > 0 && total < 2) (total, errors) = (2, b.Errors > 0 ? 2 : 0);
            return new ChartBar(Pct(i * slot + slot * 0.15), Pct(slot * 0.7), plotHeight - total, total - errors, plotHeight - errors, errors,
                LabelOf(b.Start, granularity), b);
        }).ToList();

        // Label the latest bucket and every step before it; alternate labels give way on phones.
        var step = granularity == UsageGranularity.Hour ? 3 : series.Count <= 7 ? 1 : 5;
        var ticks = new List<ChartTick>();
        for (int i = series.Count - 1, n = 0; i >= 0; i -= step, n++)
            ticks.Add(new ChartTick(Pct(i * slot + slot / 2), ShortLabelOf(series[i].Start, granularity), n % 2 == 1));
        ticks.Reverse();

        return new UsageChart(bars, ticks, max, [Count(max), Count(max / 2), "0"], plotHeight);
    }

    /// <summary>The smallest of 1, 2, 4, 6, 8 or 10 × 10ⁿ at or above <paramref name="value"/> and at least 2, so the middle gridline is a whole number.</summary>
    public static long NiceMax(long value)
    {
        if (value <= 2) return 2;
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in new[] { 1, 2, 4, 6, 8, 10 })
            if (m * magnitude >= value) return m * magnitude;
        return 10 * magnitude;
    }

    public static string Count(long n) => n switch
    {
        >= 1_000_000 => (n / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (n / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => n.ToString("N0", CultureInfo.InvariantCulture),
    };

    public static string LabelOf(DateTimeOffset start, UsageGranularity granularity) => granularity == UsageGranularity.Hour
        ? start.UtcDateTime.ToString("MMM d, HH:00 'UTC'", CultureInfo.InvariantCulture)
        : start.UtcDateTime.ToString("ddd, MMM d", CultureInfo.InvariantCulture);

    private static string ShortLabelOf(DateTimeOffset start, UsageGranularity granularity) =>
        start.UtcDateTime.ToString(granularity == UsageGranularity.Hour ? "HH:00" : "MMM d", CultureInfo.InvariantCulture);

    private static string Pct(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
