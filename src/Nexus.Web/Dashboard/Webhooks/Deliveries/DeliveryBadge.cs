using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// How a delivery's state reads at a glance: pending grey until a first attempt fails, then
/// amber while retries remain; succeeded green; failed (dead-lettered) red.
/// </summary>
public static class DeliveryBadge
{
    public static string Text(WebhookDelivery d) => d.Status switch
    {
        DeliveryStatus.Succeeded => "Succeeded",
        DeliveryStatus.Failed => "Failed",
        _ when d.LeaseToken is not null => "Sending",
        _ when d.Attempts.Count > 0 => "Retrying",
        _ => "Pending",
    };

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
