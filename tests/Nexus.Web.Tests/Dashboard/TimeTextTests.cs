using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Tests.Dashboard;

public sealed class TimeTextTests
{
    [Theory]
    [InlineData(0, "less than a minute")]
    [InlineData(29_000, "less than a minute")]
    [InlineData(31_000, "1 min")]
    [InlineData(12 * 60_000 + 10_000, "12 min")]
    [InlineData(60 * 60_000 - 200, "1 h")] // an hour's grace, shown a moment after the roll
    [InlineData(90 * 60_000, "1 h 30 min")]
    [InlineData(24 * 60 * 60_000 - 1_000, "24 h")]
    [InlineData(3 * 24 * 60 * 60_000 - 1_000, "3 d")]
    [InlineData((3 * 24 + 4) * 60 * 60_000 + 5_000, "3 d 4 h")]
    public void A_span_is_written_to_the_nearest_minute(long milliseconds, string expected) =>
        Assert.Equal(expected, TimeText.Span(TimeSpan.FromMilliseconds(milliseconds)));
}
