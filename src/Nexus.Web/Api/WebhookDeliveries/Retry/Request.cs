namespace Nexus.Web.Api.WebhookDeliveries.Retry;

/// <summary>Takes no body: the delivery is named in the path.</summary>
public sealed class Request
{
    /// <summary>The id of the delivery to retry.</summary>
    public string Id { get; init; } = "";
}
