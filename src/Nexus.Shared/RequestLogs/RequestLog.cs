using System.Text.Json.Serialization;
using Nexus.Shared.Common;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// One API request as a support engineer needs to see it. Never the Authorization header,
/// cookies or bodies: only the key's id and display prefix identify the caller.
/// Every API request writes one, so the fields that are usually empty are left out of the stored
/// JSON when they are: a smaller row on the busiest table.
/// </summary>
public sealed class RequestLog : IModeScoped
{
    public static string Noun => "request log";

    /// <summary>The request id (<c>req_…</c>), also the X-Request-Id the caller got.</summary>
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string KeyId { get; set; } = "";
    public string KeyPrefix { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Method { get; set; } = "";

    /// <summary>The methods the API answers, as the logs' method filters offer them.</summary>
    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>The route template (<c>/api/v1/notes/{id}</c>), for grouping; empty when the path names no route. A request refused before or by routing (a body over the limit, a method the route does not take) still gets the template its path names.</summary>
    public string Route { get; set; } = "";
    public string Path { get; set; } = "";
    public int Status { get; set; }
    public double LatencyMs { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>The error object's code when the answer was an error.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorCode { get; set; }

    /// <summary>The request body, redacted, only while the org's debug capture is on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestBody { get; set; }

    /// <summary>The response body, redacted, only while the org's debug capture is on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResponseBody { get; set; }

    public const int MaxPathLength = 512;
    public const int MaxUserAgentLength = 256;
}
