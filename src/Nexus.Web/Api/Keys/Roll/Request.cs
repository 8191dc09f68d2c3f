using FastEndpoints;

namespace Nexus.Web.Api.Keys.Roll;

/// <summary>How long the old key keeps working. The body is optional.</summary>
public sealed class Request
{
    /// <summary>The id of the key to roll (from the path).</summary>
    /// <remarks>Not a body field: an <c>id</c> in the body is an unknown parameter, not a silent no-op.</remarks>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>Minutes the old key keeps working beside the new one, 0–10080 (7 days). Default 1440 (24 hours). 0 stops it at once.</summary>
    public int? GracePeriodMinutes { get; init; }
}
