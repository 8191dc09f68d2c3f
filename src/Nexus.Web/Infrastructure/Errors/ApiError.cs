using System.Text.Json.Serialization;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>The one error shape every API route answers with.</summary>
public sealed class ApiErrorResponse
{
    /// <summary>What went wrong.</summary>
    public required ApiError Error { get; init; }
}

/// <summary>Details of an API error.</summary>
public sealed class ApiError
{
    /// <summary>Broad category: <c>invalid_request_error</c>, <c>authentication_error</c>, <c>permission_error</c>, <c>rate_limit_error</c>, <c>api_error</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Stable machine-readable code, e.g. <c>resource_missing</c>; each has a page at <c>doc_url</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Human-readable explanation, safe to show to a developer.</summary>
    public required string Message { get; init; }

    /// <summary>The request parameter the error is about, when there is one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    /// <summary>The id of this request (also in the <c>X-Request-Id</c> header); quote it to support.</summary>
    public required string RequestId { get; init; }

    /// <summary>Where this error code is documented.</summary>
    public required string DocUrl { get; init; }

    /// <summary>
    /// This request in the dashboard's request logs (for the org's signed-in members), with the
    /// events and webhook deliveries it caused; null when the request was not made with a valid key
    /// and so belongs to no org's logs.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? RequestLogUrl { get; init; }
}
