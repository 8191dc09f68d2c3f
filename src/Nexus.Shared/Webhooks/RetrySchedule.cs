namespace Nexus.Shared.Webhooks;

/// <summary>
/// When a failed delivery is tried again: after each delay in turn (1, 5 and 15 minutes by
/// default, so four attempts in all), each stretched or shrunk by up to ±10 % so that
/// endpoints recovering from an outage are not hit by every retry at the same instant.
/// A receiver's <c>Retry-After</c> can push an attempt later, never earlier, and at most
/// <see cref="MaxRetryAfter"/>.
/// </summary>
public sealed class RetrySchedule
{
    public const string ConfigKey = "Nexus:Webhooks:RetryScheduleSeconds";
    public const double Jitter = 0.10;
    public const int MaxRetries = 10;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);
    public static readonly RetrySchedule Default = new([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)]);

    public IReadOnlyList<TimeSpan> Delays { get; }

    public RetrySchedule(IReadOnlyList<TimeSpan> delays)
    {
        if (Problem(delays.Select(d => (int)d.TotalSeconds).ToList()) is { } problem) throw new ArgumentException(problem, nameof(delays));
        Delays = delays;
    }

    /// <summary>The schedule from a list of delays in seconds (configuration or an endpoint's own).</summary>
    public static RetrySchedule FromSeconds(IEnumerable<int> seconds) => new(seconds.Select(s => TimeSpan.FromSeconds(s)).ToList());

    /// <summary>Why a list of delays cannot be a schedule, or null when it can.</summary>
    public static string? Problem(IReadOnlyList<int> seconds) =>
        seconds.Count > MaxRetries ? $"A retry schedule has at most {MaxRetries} delays."
        : seconds.Any(s => s < 1 || s > MaxDelay.TotalSeconds) ? $"Each retry delay is between 1 and {(int)MaxDelay.TotalSeconds} seconds."
        : null;

    /// <summary>Attempts in all: the first and one per delay.</summary>
    public int Attempts => Delays.Count + 1;

    /// <summary>
    /// When to try again after the <paramref name="attemptsMade"/>-th attempt failed, or null when
    /// the schedule is used up and the delivery is dead-lettered. <paramref name="unit"/> is a
    /// uniform random number in [0, 1) that places the attempt in the jitter band.
    /// </summary>
    public DateTimeOffset? Next(int attemptsMade, DateTimeOffset failedAt, double unit, TimeSpan? retryAfter = null)
    {
        if (attemptsMade < 1 || attemptsMade > Delays.Count) return null;
        var delay = Delays[attemptsMade - 1] * (1 - Jitter + 2 * Jitter * unit);
        // The cap bounds how far a receiver can push an attempt; it never shortens the schedule's own delay.
        if (retryAfter is { } asked && asked > delay) delay = asked < MaxRetryAfter ? asked : MaxRetryAfter > delay ? MaxRetryAfter : delay;
        return failedAt + delay;
    }
}
