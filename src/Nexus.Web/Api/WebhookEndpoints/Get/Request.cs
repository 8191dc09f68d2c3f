namespace Nexus.Web.Api.WebhookEndpoints.Get;

public sealed class Request
{
    /// <summary>The endpoint's id.</summary>
    public string Id { get; init; } = "";
}
