using System.Globalization;
using System.Text;
using Nexus.Shared.Common;

namespace Nexus.Shared.Tests.Common;

public sealed class TimestampsTests
{
    [Fact]
    public void A_time_is_written_in_utc_with_milliseconds_cut_never_rounded()
    {
        var at = new DateTimeOffset(2026, 11, 23, 21, 19, 55, TimeSpan.Zero).AddTicks(7_918_286);

        Assert.Equal("2026-11-23T21:19:55.791Z", Timestamps.Format(at));
    }

    [Theory]
    [InlineData(9_999_999, "2026-12-31T23:59:59.999Z")] // rounding would make it next year
    [InlineData(9_990_000, "2026-12-31T23:59:59.999Z")]
    [InlineData(9_989_999, "2026-12-31T23:59:59.998Z")]
    [InlineData(0, "2026-12-31T23:59:59.000Z")]
    public void The_last_tick_of_a_second_stays_in_that_second(long ticks, string expected) =>
        Assert.Equal(expected, Timestamps.Format(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(ticks)));

    [Fact]
    public void A_time_with_an_offset_is_written_as_the_same_instant_in_utc()
    {
        var at = DateTimeOffset.Parse("2026-11-24T01:19:55.7918286+04:00", CultureInfo.InvariantCulture);

        Assert.Equal("2026-11-23T21:19:55.791Z", Timestamps.Format(at));
    }

    [Fact]
    public void A_shown_time_is_never_later_than_the_stored_one_and_less_than_a_millisecond_earlier()
    {
        var start = new DateTimeOffset(2026, 11, 23, 21, 19, 55, TimeSpan.Zero);
        for (var ticks = 0L; ticks < 2 * TimeSpan.TicksPerMillisecond; ticks += 997)
        {
            var at = start.AddTicks(ticks);
            var shown = DateTimeOffset.Parse(Timestamps.Format(at), CultureInfo.InvariantCulture);
            Assert.InRange(at - shown, TimeSpan.Zero, TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - 1));
        }
    }

    [Fact]
    public void A_date_time_of_unspecified_kind_is_taken_as_utc()
    {
        var utc = new DateTime(2026, 11, 23, 21, 19, 55, DateTimeKind.Utc).AddTicks(7_918_286);

        Assert.Equal("2026-11-23T21:19:55.791Z", Timestamps.Format(utc));
        Assert.Equal("2026-11-23T21:19:55.791Z", Timestamps.Format(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void Null_stays_null() => Assert.Null(Timestamps.Format((DateTimeOffset?)null));

    [Fact]
    public void The_utf8_form_is_the_same_text_and_always_the_same_length()
    {
        Span<byte> utf8 = stackalloc byte[Timestamps.Length];
        foreach (var at in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.Parse("2026-11-23T21:19:55.7918286Z", CultureInfo.InvariantCulture) })
        {
            Assert.True(Timestamps.TryFormat(at.UtcDateTime, utf8, out var written));
            Assert.Equal(Timestamps.Format(at), Encoding.UTF8.GetString(utf8[..written]));
            Assert.Equal(Timestamps.Length, written);
        }
        Assert.Equal("0001-01-01T00:00:00.000Z", Timestamps.Format(DateTimeOffset.MinValue));
        Assert.Equal("9999-12-31T23:59:59.999Z", Timestamps.Format(DateTimeOffset.MaxValue));
    }
}
