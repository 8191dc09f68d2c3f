using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// Something that happened in an org. <see cref="Payload"/> holds the exact bytes every delivery
/// of it sends (<c>{"id","type","created_at","mode","data"}</c>), so retries and replays are
/// byte-identical and signatures stay comparable.
/// </summary>
public sealed class WebhookEvent : IModeScoped
{
    public static string Noun => "event";

    public const string IdPrefix = "evt";

    /// <summary>Also the <c>webhook-id</c> of every delivery of this event.</summary>
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string Type { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The JSON body sent to endpoints, UTF-8 text.</summary>
    public string Payload { get; set; } = "";

    /// <summary>The API request that caused the event, when one did; deliveries send it as <c>X-Request-Id</c>.</summary>
    public string? RequestId { get; set; }

    /// <summary>How many deliveries the event was queued for when it was created.</summary>
    public int EndpointCount { get; set; }
}
