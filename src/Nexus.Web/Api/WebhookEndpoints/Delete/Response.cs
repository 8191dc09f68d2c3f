namespace Nexus.Web.Api.WebhookEndpoints.Delete;

/// <summary>Confirms a deletion.</summary>
public sealed class Response
{
    /// <summary>The deleted endpoint's id.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>webhook_endpoint</c>.</summary>
    public string Object { get; init; } = "webhook_endpoint";

    /// <summary>Always true.</summary>
    public bool Deleted { get; init; } = true;
}
