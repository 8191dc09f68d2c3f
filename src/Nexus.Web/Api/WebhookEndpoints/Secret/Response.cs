namespace Nexus.Web.Api.WebhookEndpoints.Secret;

/// <summary>An endpoint's current signing secret.</summary>
public sealed class Response
{
    /// <summary>Always <c>webhook_endpoint_secret</c>.</summary>
    public string Object { get; init; } = "webhook_endpoint_secret";

    /// <summary>The endpoint the secret signs for.</summary>
    public required string EndpointId { get; init; }

    /// <summary>The current signing secret, <c>whsec_…</c>. During a rotation's grace period the previous one still signs too, but is not shown.</summary>
    public required string Secret { get; init; }
}
