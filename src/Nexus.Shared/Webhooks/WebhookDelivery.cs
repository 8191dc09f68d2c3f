using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted).</summary>
    Pending,
    Succeeded,
    /// <summary>Dead-lettered: every scheduled attempt failed, or the endpoint went away.</summary>
    Failed,
}

/// <summary>
/// One event on its way to one endpoint, with every attempt made. The worker claims due
/// deliveries with <c>FOR UPDATE SKIP LOCKED</c> and holds them by a lease: the claim sets a new
/// <see cref="LeaseToken"/> and <see cref="LeaseUntil"/>, and a claim skips a delivery until its
/// lease has ended, so a delivery whose worker died simply becomes claimable again. The claim leaves
/// <see cref="NextAttemptAt"/> (an indexed column) alone, so it rewrites no index entry. A result is
/// recorded only under the token that claimed it, so a worker whose lease ran out cannot overwrite the next owner's.
/// </summary>
public sealed class WebhookDelivery : IModeScoped
{
    public static string Noun => "webhook delivery";

    public const string IdPrefix = "dlv";

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string EndpointId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";

    /// <summary>Why this delivery exists: <c>event</c>, <c>replay</c>.</summary>
    public string Trigger { get; set; } = DeliveryTriggers.Event;

    public DeliveryStatus Status { get; set; }

    /// <summary>When the next attempt is due (while claimed: still the time it fell due); null once the delivery has succeeded or failed for good.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The claim that holds the delivery now; null when no worker holds it.</summary>
    public Guid? LeaseToken { get; set; }

    /// <summary>
    /// When the claim's lease ends: until then no worker claims the delivery again. Kept in the JSON
    /// only (no column, no index), so taking and clearing a lease is a heap-only (HOT) update. A
    /// lease in the past holds nothing, whatever <see cref="LeaseToken"/> still says.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>True while a worker's claim holds the delivery: a token whose lease has not ended.</summary>
    public bool IsLeased(DateTimeOffset now) => LeaseToken is not null && LeaseUntil > now;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<DeliveryAttempt> Attempts { get; set; } = [];

    /// <summary>Attempts made so far under the retry schedule; the count picks the next delay.</summary>
    public int ScheduledAttempts { get; set; }

    /// <summary>Set by a manual retry: the next attempt is the only one, and a failure dead-letters the delivery again at once.</summary>
    public bool SingleAttempt { get; set; }
}

public static class DeliveryTriggers
{
    public const string Event = "event";
    public const string Replay = "replay";
    public const string ManualRetry = "manual_retry";
}

/// <summary>One HTTP attempt. A blocked or unreachable target has no status code and no response.</summary>
public sealed class DeliveryAttempt
{
    public const string IdPrefix = "atm";
    public const int MaxStoredBodyBytes = 20 * 1024;

    public string Id { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public int DurationMs { get; set; }
    public int? StatusCode { get; set; }
    public bool Succeeded { get; set; }

    /// <summary>Short machine-readable reason for a failure: <c>http_status</c>, <c>timeout</c>, <c>connection_failed</c>, <c>blocked_address</c>, <c>redirect</c>…</summary>
    public string? ErrorCode { get; set; }
    public string? Error { get; set; }
    public string Trigger { get; set; } = DeliveryTriggers.Event;
    public string WorkerId { get; set; } = "";
    public Dictionary<string, string> ResponseHeaders { get; set; } = [];

    /// <summary>The first <see cref="MaxStoredBodyBytes"/> of the response body, as text.</summary>
    public string? ResponseBody { get; set; }
    public bool ResponseBodyTruncated { get; set; }
}
