using Nexus.Web.Api.WebhookDeliveries;

namespace Nexus.Web.Api.Events.Replay;

/// <summary>The new deliveries the replay queued.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>One new delivery per endpoint, due now; empty when no enabled endpoint wants the event's type.</summary>
    public required IReadOnlyList<DeliveryObject> Data { get; init; }

    /// <summary>Always false: every delivery queued is listed.</summary>
    public bool HasMore { get; init; }
}
