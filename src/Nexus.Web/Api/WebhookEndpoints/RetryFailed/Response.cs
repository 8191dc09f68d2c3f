using Nexus.Web.Api.WebhookDeliveries;

namespace Nexus.Web.Api.WebhookEndpoints.RetryFailed;

/// <summary>The deliveries made due again, oldest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The deliveries that will be attempted once more.</summary>
    public required IReadOnlyList<DeliveryObject> Data { get; init; }

    /// <summary>True when the call retried as many as one call may (1000): call again for the rest.</summary>
    public required bool HasMore { get; init; }
}
