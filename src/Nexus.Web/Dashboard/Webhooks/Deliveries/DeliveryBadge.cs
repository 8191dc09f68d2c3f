using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// The dashboard's words for a delivery's state. The API has three statuses (<c>pending</c>,
/// <c>succeeded</c>, <c>failed</c>); the dashboard splits pending in three, so a person sees
/// whether anything was tried yet. Badges and the status filter use the same states, and
/// <see cref="DeliveryBadge.Where"/> selects exactly the deliveries <see cref="DeliveryBadge.StateOf"/> gives that state.
/// </summary>
public enum DeliveryState
{
    Pending,
    Sending,
    Retrying,
    Succeeded,
    Failed,
}

/// <summary>
/// How a delivery's state reads at a glance: pending grey until a first attempt fails, then
/// amber while retries remain; succeeded green; failed (dead-lettered) red.
/// </summary>
public static class DeliveryBadge
{
    /// <summary>Every state a badge can show, in the filter's order: its query value, its label and what it means.</summary>
    public static readonly IReadOnlyList<(DeliveryState State, string Value, string Label, string Meaning)> States =
    [
        (DeliveryState.Pending, "pending", "Pending", "Waiting for its first attempt"),
        (DeliveryState.Sending, "sending", "Sending", "A worker is attempting it right now"),
        (DeliveryState.Retrying, "retrying", "Retrying", "An attempt failed; another is scheduled"),
        (DeliveryState.Succeeded, "succeeded", "Succeeded", "The endpoint answered with a 2xx status"),
        (DeliveryState.Failed, "failed", "Failed", "Every attempt failed, so it is no longer retried (a dead letter); it can be retried by hand"),
    ];

    /// <summary>
    /// A delivery is Sending only while a worker's lease on it holds. A lease that ran out (its worker
    /// died or was cut off mid-attempt) holds nothing: the delivery waits to be claimed again, so it
    /// reads as Pending or Retrying, as the worker's claim sees it.
    /// </summary>
    public static DeliveryState StateOf(WebhookDelivery d, DateTimeOffset now) => d.Status switch
    {
        DeliveryStatus.Succeeded => DeliveryState.Succeeded,
        DeliveryStatus.Failed => DeliveryState.Failed,
        _ when d.IsLeased(now) => DeliveryState.Sending,
        _ when d.Attempts.Count > 0 => DeliveryState.Retrying,
        _ => DeliveryState.Pending,
    };

    /// <summary>The deliveries whose badge shows <paramref name="state"/>: the same tests as <see cref="StateOf"/>, in the query.</summary>
    public static IQueryable<WebhookDelivery> Where(IQueryable<WebhookDelivery> query, DeliveryState state, DateTimeOffset now) => state switch
    {
        DeliveryState.Succeeded => query.Where(d => d.Status == DeliveryStatus.Succeeded),
        DeliveryState.Failed => query.Where(d => d.Status == DeliveryStatus.Failed),
        DeliveryState.Sending => query.Where(d => d.Status == DeliveryStatus.Pending && d.LeaseToken != null && d.LeaseUntil > now),
        DeliveryState.Retrying => query.Where(d => d.Status == DeliveryStatus.Pending && (d.LeaseToken == null || d.LeaseUntil == null || d.LeaseUntil <= now) && d.Attempts.Any()),
        _ => query.Where(d => d.Status == DeliveryStatus.Pending && (d.LeaseToken == null || d.LeaseUntil == null || d.LeaseUntil <= now) && !d.Attempts.Any()),
    };

    public static string Text(WebhookDelivery d, DateTimeOffset now) => Describe(StateOf(d, now)).Label;

    /// <summary>The badge's tooltip: what its state means.</summary>
    public static string Title(WebhookDelivery d, DateTimeOffset now) => Describe(StateOf(d, now)).Meaning;

    private static (DeliveryState State, string Value, string Label, string Meaning) Describe(DeliveryState state) =>
        States.First(s => s.State == state);

    public static string Css(WebhookDelivery d) => d.Status switch
    {
        DeliveryStatus.Succeeded => "badge-active",
        DeliveryStatus.Failed => "badge-revoked",
        _ when d.Attempts.Count > 0 => "badge-expiring",
        _ => "",
    };

    public static string Wire(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The last answer: an HTTP status, or the reason there was none.</summary>
    public static string? LastResponse(WebhookDelivery d) =>
        d.Attempts.Count == 0 ? null : d.Attempts[^1] is { StatusCode: { } code } ? code.ToString() : d.Attempts[^1].ErrorCode ?? "error";
}
