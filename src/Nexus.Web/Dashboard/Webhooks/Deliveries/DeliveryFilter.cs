using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// The delivery table's query string: mode and filters. Values the form cannot produce are
/// ignored rather than refused: this is a page, not the API.
/// </summary>
public sealed class DeliveryFilter
{
    /// <summary><c>test</c> (default) or <c>live</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>An endpoint id.</summary>
    public string? Endpoint { get; set; }

    /// <summary>A dashboard state (<see cref="DeliveryBadge.States"/>), not the API's status: the filter offers what the badges show.</summary>
    public string? Status { get; set; }

    /// <summary>An event type.</summary>
    public string? Type { get; set; }

    /// <summary>Older deliveries: those before this delivery id (the "Older" link's cursor).</summary>
    [FastEndpoints.BindFrom("before")]
    public string? Before { get; set; }

    /// <summary>A delivery to open in the detail panel when the page loads (links from the logs).</summary>
    public string? Delivery { get; set; }

    public Mode ModeValue => ModeNames.OrTest(Mode);

    public string? KnownEndpoint => Ids.IsWellFormed(Endpoint ?? "", WebhookEndpoint.IdPrefix) ? Endpoint : null;

    public DeliveryState? KnownStatus => DeliveryBadge.States.Where(s => s.Value == Status).Select(s => (DeliveryState?)s.State).FirstOrDefault();

    public string? KnownType => EventCatalog.IsKnown(Type) ? Type : null;

    public string? KnownBefore => Ids.IsWellFormed(Before ?? "", WebhookDelivery.IdPrefix) ? Before : null;

    /// <summary>The query string of the mode, these filters and a cursor (when given): what the table's URLs carry.</summary>
    public string Query(string? before)
    {
        var parts = new List<string> { "mode=" + ModeValue.ToWire() };
        if (KnownEndpoint is { } endpoint) parts.Add("endpoint=" + endpoint);
        if (KnownStatus is not null) parts.Add("status=" + Status);
        if (KnownType is { } type) parts.Add("type=" + Uri.EscapeDataString(type));
        if (before is not null) parts.Add("before=" + before);
        return string.Join("&", parts);
    }

    public string? KnownDelivery => Ids.IsWellFormed(Delivery ?? "", WebhookDelivery.IdPrefix) ? Delivery : null;

    public bool Any => KnownEndpoint is not null || KnownStatus is not null || KnownType is not null;
}
