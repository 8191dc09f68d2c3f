namespace Nexus.Web.Api.WebhookDeliveries.Get;

public sealed class Request
{
    /// <summary>The delivery's id.</summary>
    public string Id { get; init; } = "";
}
