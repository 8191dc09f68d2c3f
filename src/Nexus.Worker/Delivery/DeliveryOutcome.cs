using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>What an attempt's result means for the endpoint beyond its delivery.</summary>
public enum EndpointEffect
{
    None,
    /// <summary>A success after dead letters: the count of dead letters in a row starts again.</summary>
    ResetDeadLetters,
    /// <summary>The delivery was dead-lettered: one more in a row.</summary>
    CountDeadLetter,
    /// <summary>The receiver said 410 Gone: the endpoint is disabled at once.</summary>
    DisableGone,
}

/// <summary>
/// The rules that turn an attempt into the delivery's next state (pure, so they are tested without
/// a host): success ends it; a failure schedules the next attempt by the endpoint's or the
/// deployment's schedule (jittered, pushed later by <c>Retry-After</c> within bounds) or, when the
/// schedule is used up or the attempt was a manual single one, dead-letters it with every attempt kept.
/// </summary>
public static class DeliveryOutcome
{
    public static EndpointEffect Apply(WebhookDelivery delivery, DeliveryAttempt attempt, RetrySchedule schedule,
        int endpointDeadLetters, TimeSpan? retryAfter, double unit)
    {
        delivery.Attempts.Add(attempt);
        delivery.UpdatedAt = attempt.At;
        var single = delivery.SingleAttempt;
        delivery.SingleAttempt = false;
        if (!single) delivery.ScheduledAttempts++;

        if (attempt.Succeeded)
        {
            Finish(delivery, DeliveryStatus.Succeeded);
            return endpointDeadLetters > 0 ? EndpointEffect.ResetDeadLetters : EndpointEffect.None;
        }
        if (attempt.StatusCode == 410)
        {
            Finish(delivery, DeliveryStatus.Failed);
            return EndpointEffect.DisableGone;
        }
        var failedAt = attempt.At + TimeSpan.FromMilliseconds(attempt.DurationMs);
        var next = single ? null : schedule.Next(delivery.ScheduledAttempts, failedAt, unit, retryAfter);
        if (next is null)
        {
            Finish(delivery, DeliveryStatus.Failed);
            return EndpointEffect.CountDeadLetter;
        }
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAt = next;
        return EndpointEffect.None;
    }

    /// <summary>A delivery that cannot be attempted (its endpoint is disabled or gone): failed at once, nothing sent.</summary>
    public static void Refuse(WebhookDelivery delivery, DateTimeOffset now, string errorCode, string error, string attemptId, string workerId)
    {
        delivery.Attempts.Add(new DeliveryAttempt
        {
            Id = attemptId, At = now, ErrorCode = errorCode, Error = error, Trigger = delivery.Trigger, WorkerId = workerId,
        });
        delivery.UpdatedAt = now;
        delivery.SingleAttempt = false;
        Finish(delivery, DeliveryStatus.Failed);
    }

    /// <summary>The schedule for an endpoint: its own delays, or the deployment's.</summary>
    public static RetrySchedule ScheduleFor(WebhookEndpoint endpoint, RetrySchedule deployment) =>
        endpoint.RetryScheduleSeconds is { } seconds && RetrySchedule.Problem(seconds) is null ? RetrySchedule.FromSeconds(seconds) : deployment;

    private static void Finish(WebhookDelivery delivery, DeliveryStatus status)
    {
        delivery.Status = status;
        delivery.NextAttemptAt = null;
    }
}
