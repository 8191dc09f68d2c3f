namespace Nexus.Web.Api.WebhookDeliveries.List;

/// <summary>A page of deliveries, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The deliveries on this page (without their attempts; retrieve a delivery to see them).</summary>
    public required IReadOnlyList<DeliveryObject> Data { get; init; }

    /// <summary>Whether more deliveries follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
