using FastEndpoints;

namespace Nexus.Web.Api.WebhookEndpoints.RotateSecret;

/// <summary>How long the old secret keeps signing. The body is optional.</summary>
public sealed class Request
{
    /// <summary>The endpoint's id (from the path).</summary>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>Seconds the previous secret keeps signing beside the new one, 0–604800 (7 days). Default 86400 (24 hours). 0 stops it at once.</summary>
    public int? GracePeriodSeconds { get; init; }
}
