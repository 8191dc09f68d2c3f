using Nexus.Shared.Usage;

namespace Nexus.Shared.Tests.Usage;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Bounds_rise_in_steps_of_at_most_about_twelve_percent_from_a_tenth_of_a_millisecond_to_a_minute()
    {
        var bounds = LatencyHistogram.Bounds;

        Assert.Equal(0.1, bounds[0]);
        Assert.Equal(60_000, bounds[^1]);
        for (var i = 1; i < bounds.Length; i++)
            Assert.InRange(bounds[i] / bounds[i - 1], 1.0001, 1.14);
    }

    [Theory]
    [InlineData(new[] { 5.0 }, 0.95)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 200.0 }, 0.95)]
    [InlineData(new[] { 0.05, 0.2, 0.3, 40_000.0 }, 0.5)]
    public void A_quantile_is_never_below_the_exact_value_and_at_most_one_bucket_above(double[] latencies, double q)
    {
        var exact = latencies.Order().ElementAt((int)Math.Ceiling(q * latencies.Length) - 1);

        var reported = LatencyHistogram.Quantile(LatencyHistogram.Count(latencies), q);

        Assert.NotNull(reported);
        Assert.InRange(reported.Value, exact, Math.Max(exact * 1.13, 0.1));
    }

    [Fact]
    public void Merged_hours_give_the_same_quantile_as_counting_the_whole_day()
    {
        var random = new Random(7);
        var hours = Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, 200).Select(_ => random.NextDouble() * random.Next(1, 500)).ToArray()).ToArray();

        var merged = LatencyHistogram.Merge(hours.Select(LatencyHistogram.Count));
        var whole = LatencyHistogram.Count(hours.SelectMany(h => h));

        Assert.Equal(whole, merged);
        Assert.Equal(LatencyHistogram.Quantile(whole, 0.95), LatencyHistogram.Quantile(merged, 0.95));
    }

    [Fact]
    public void Slower_than_a_minute_lands_in_the_open_bucket_and_an_empty_histogram_has_no_quantile()
    {
        var histogram = LatencyHistogram.Count([120_000]);

        Assert.Equal(1, histogram[^1]);
        Assert.Equal(60_000, LatencyHistogram.Quantile(histogram, 0.95));
        Assert.Null(LatencyHistogram.Quantile(new long[LatencyHistogram.BucketCount], 0.95));
    }
}
