using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset FailedAt = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const double AlmostOne = 0.999_999_999;

    [Fact]
    public void The_default_is_four_attempts_in_all_retrying_after_1_5_and_15_minutes()
    {
        var schedule = RetrySchedule.Default;

        Assert.Equal(4, schedule.Attempts);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)], schedule.Delays);
        Assert.Equal(FailedAt.AddMinutes(1), schedule.Next(1, FailedAt, 0.5));
        Assert.Equal(FailedAt.AddMinutes(5), schedule.Next(2, FailedAt, 0.5));
        Assert.Equal(FailedAt.AddMinutes(15), schedule.Next(3, FailedAt, 0.5));
        Assert.Null(schedule.Next(4, FailedAt, 0.5)); // the fourth failure dead-letters
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void Outside_the_schedule_there_is_no_next_attempt(int attemptsMade) =>
        Assert.Null(RetrySchedule.Default.Next(attemptsMade, FailedAt, 0.5));

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 300)]
    [InlineData(3, 900)]
    public void Jitter_keeps_every_retry_within_ten_percent_and_the_unit_reaches_both_edges(int attemptsMade, int seconds)
    {
        var low = RetrySchedule.Default.Next(attemptsMade, FailedAt, 0)!.Value - FailedAt;
        var high = RetrySchedule.Default.Next(attemptsMade, FailedAt, AlmostOne)!.Value - FailedAt;

        Assert.Equal(TimeSpan.FromSeconds(seconds * 0.9), low);
        Assert.InRange(high, TimeSpan.FromSeconds(seconds * 1.1 - 0.001), TimeSpan.FromSeconds(seconds * 1.1));
        var random = new Random(42);
        for (var i = 0; i < 1000; i++)
        {
            var delay = RetrySchedule.Default.Next(attemptsMade, FailedAt, random.NextDouble())!.Value - FailedAt;
            Assert.InRange(delay, TimeSpan.FromSeconds(seconds * 0.9), TimeSpan.FromSeconds(seconds * 1.1));
        }
    }

    [Fact]
    public void A_retry_after_later_than_the_schedule_is_honoured()
    {
        var next = RetrySchedule.Default.Next(1, FailedAt, 0.5, TimeSpan.FromMinutes(10));

        Assert.Equal(FailedAt.AddMinutes(10), next);
    }

    [Fact]
    public void A_retry_after_earlier_than_the_schedule_never_brings_the_attempt_forward()
    {
        Assert.Equal(FailedAt.AddMinutes(5), RetrySchedule.Default.Next(2, FailedAt, 0.5, TimeSpan.FromSeconds(1)));
        Assert.Equal(FailedAt.AddMinutes(5), RetrySchedule.Default.Next(2, FailedAt, 0.5, TimeSpan.Zero));
        Assert.Equal(FailedAt.AddMinutes(5), RetrySchedule.Default.Next(2, FailedAt, 0.5, TimeSpan.FromMinutes(-30)));
    }

    [Fact]
    public void A_retry_after_is_capped_at_the_maximum()
    {
        var next = RetrySchedule.Default.Next(1, FailedAt, 0.5, TimeSpan.FromDays(30));

        Assert.Equal(FailedAt + RetrySchedule.MaxRetryAfter, next);
    }

    [Fact]
    public void The_cap_never_makes_a_long_schedule_retry_earlier_than_it_would_have()
    {
        // A deployment may schedule retries hours apart; a receiver asking for "later" must not shorten that.
        var schedule = RetrySchedule.FromSeconds([7200]);

        var next = schedule.Next(1, FailedAt, 0.5, TimeSpan.FromHours(3));

        Assert.Equal(FailedAt.AddHours(2), next);
    }

    [Fact]
    public void A_schedule_from_seconds_keeps_its_order_and_counts_its_attempts()
    {
        var schedule = RetrySchedule.FromSeconds([10, 20]);

        Assert.Equal(3, schedule.Attempts);
        Assert.Equal(FailedAt.AddSeconds(20), schedule.Next(2, FailedAt, 0.5));
        Assert.Null(schedule.Next(3, FailedAt, 0.5));
        Assert.Equal(1, RetrySchedule.FromSeconds([]).Attempts);
    }

    [Theory]
    [InlineData(new[] { 0 }, "between 1 and 86400")]
    [InlineData(new[] { -5, 60 }, "between 1 and 86400")]
    [InlineData(new[] { 60, 86401 }, "between 1 and 86400")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "at most 10")]
    public void Problem_explains_what_is_wrong_with_a_bad_list(int[] seconds, string expected)
    {
        Assert.Contains(expected, RetrySchedule.Problem(seconds));
        Assert.Throws<ArgumentException>(() => RetrySchedule.FromSeconds(seconds));
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 86400 })]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void Problem_is_null_for_a_good_list(int[] seconds) => Assert.Null(RetrySchedule.Problem(seconds));
}
