namespace Nexus.Worker.Delivery;

/// <summary>The machine-readable reasons an attempt failed, shown in the delivery log.</summary>
public static class DeliveryErrors
{
    public const string HttpStatus = "http_status";
    public const string Redirect = "redirect";
    public const string Timeout = "timeout";
    public const string ConnectionFailed = "connection_failed";
    public const string BlockedAddress = "blocked_address";
    public const string EndpointDisabled = "endpoint_disabled";
    public const string EndpointDeleted = "endpoint_deleted";
    public const string EventMissing = "event_missing";
}
