namespace Nexus.Shared.Usage;

/// <summary>
/// Latencies counted into fixed, roughly logarithmic buckets (about 12 % wide), so hourly
/// figures can be added up into days and months and still give a p95, the way Prometheus
/// histograms do. A quantile is reported as the upper bound of the bucket it falls in, so it
/// is never under-stated and is at most one bucket width above the exact value.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds in milliseconds; a last, open bucket catches anything slower.</summary>
    public static readonly double[] Bounds = BuildBounds();

    public static int BucketCount => Bounds.Length + 1;

    public static int BucketOf(double latencyMs)
    {
        var index = Array.BinarySearch(Bounds, latencyMs);
        return index >= 0 ? index : ~index;
    }

    public static long[] Count(IEnumerable<double> latenciesMs)
    {
        var counts = new long[BucketCount];
        foreach (var latency in latenciesMs) counts[BucketOf(latency)]++;
        return counts;
    }

    public static long[] Merge(IEnumerable<long[]> histograms)
    {
        var total = new long[BucketCount];
        foreach (var histogram in histograms)
            for (var i = 0; i < Math.Min(histogram.Length, total.Length); i++) total[i] += histogram[i];
        return total;
    }

    /// <summary>The upper bound of the bucket holding quantile <paramref name="q"/> (0–1); null when empty. The open bucket reports the largest bound.</summary>
    public static double? Quantile(long[] histogram, double q)
    {
        var total = histogram.Sum();
        if (total == 0) return null;
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank && histogram[i] > 0) return i < Bounds.Length ? Bounds[i] : Bounds[^1];
        }
        return Bounds[^1];
    }

    private static double[] BuildBounds()
    {
        // 0.1 ms to 60 s in steps of 12 %, rounded to 3 significant digits so the bounds read well.
        var bounds = new List<double>();
        for (var b = 0.1; b < 60_000; b *= 1.12)
        {
            var scale = Math.Pow(10, Math.Floor(Math.Log10(b)) - 2);
            bounds.Add(Math.Round(Math.Round(b / scale) * scale, 6));
        }
        bounds.Add(60_000);
        return bounds.Distinct().ToArray();
    }
}
