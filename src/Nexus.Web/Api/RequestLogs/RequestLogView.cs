using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;

namespace Nexus.Web.Api.RequestLogs;

/// <summary>One logged API request.</summary>
public sealed class RequestLogView
{
    /// <summary>The request id, as returned in the request's <c>X-Request-Id</c> header.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>request_log</c>.</summary>
    public string Object { get; init; } = "request_log";

    /// <summary>When the request arrived.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>The id of the API key that made the request.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's display prefix (never the key).</summary>
    public required string KeyPrefix { get; init; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The route template, e.g. <c>/api/v1/notes/{id}</c>; empty when the path names no route (a request refused for its method, body or query string still names the route its path matches).</summary>
    public required string Route { get; init; }

    /// <summary>The path requested (without the query string).</summary>
    public required string Path { get; init; }

    /// <summary>The HTTP status of the response.</summary>
    public required int Status { get; init; }

    /// <summary>Time spent in Nexus, in milliseconds.</summary>
    public required double LatencyMs { get; init; }

    /// <summary>The client's IP address.</summary>
    public required string? Ip { get; init; }

    /// <summary>The client's User-Agent header.</summary>
    public required string? UserAgent { get; init; }

    /// <summary>The error code of the response, when it was an error.</summary>
    public required string? ErrorCode { get; init; }

    /// <summary>The request body (first 8 KB, redacted), only for requests made while the org's body capture was on; otherwise null.</summary>
    public string? RequestBody { get; init; }

    /// <summary>The response body (first 8 KB, redacted), only while body capture was on; otherwise null.</summary>
    public string? ResponseBody { get; init; }

    public static RequestLogView From(RequestLog log) => new()
    {
        RequestBody = log.RequestBody,
        ResponseBody = log.ResponseBody,
        Id = log.Id,
        CreatedAt = log.At,
        Mode = log.Mode.ToWire(),
        KeyId = log.KeyId,
        KeyPrefix = log.KeyPrefix,
        Method = log.Method,
        Route = log.Route,
        Path = log.Path,
        Status = log.Status,
        LatencyMs = log.LatencyMs,
        Ip = log.Ip,
        UserAgent = log.UserAgent,
        ErrorCode = log.ErrorCode,
    };

    public static readonly RequestLogView Example = new()
    {
        Id = "req_06h0v3m6c4x8k2q9w5r7t1y3za", CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z"), Mode = "test",
        KeyId = "key_06h0v2k1b7n4m8p2q6s9u3w5xa", KeyPrefix = "nx_test_a1B2c3", Method = "GET", Route = "/api/v1/notes/{id}",
        Path = "/api/v1/notes/note_06h0v2z8d5f1g7h3j9k4l6m2na", Status = 404, LatencyMs = 2.184, Ip = "203.0.113.7",
        UserAgent = "acme-billing/2.1", ErrorCode = "resource_missing",
    };
}
