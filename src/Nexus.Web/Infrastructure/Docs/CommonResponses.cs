using Microsoft.OpenApi;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// What every API answer can be or carries, whatever the route: the request id and rate-limit
/// headers (documented once, as components, and referenced from every response), a 400 (an unknown
/// query parameter is refused on every route), a 429 with its Retry-After, and for routes that take
/// a body, 413 (over 1 MB) and 415 (not JSON).
/// </summary>
public static class CommonResponses
{
    public const string RequestId = "X-Request-Id";
    public const string Limit = "X-RateLimit-Limit";
    public const string Remaining = "X-RateLimit-Remaining";
    public const string Reset = "X-RateLimit-Reset";
    public const string RetryAfter = "Retry-After";

    private static readonly (string Name, JsonSchemaType Type, string Description)[] Headers =
    [
        (RequestId, JsonSchemaType.String, "This request's id (`req_…`), also in an error's `request_id`: quote it to support, or find the request in the dashboard's logs."),
        (Limit, JsonSchemaType.Integer, "The tightest limit the request is under: requests per window. With a valid key, the org's per-minute or per-day plan limit in the key's mode, the key's own per-minute limit, or the per-IP limit; before a key is accepted, the failed-authentication limit of the caller's address."),
        (Remaining, JsonSchemaType.Integer, "Requests left in that limit's current window. Answers refused before the budget check (401, 403) spend nothing and report it unchanged."),
        (Reset, JsonSchemaType.Integer, "When that limit's window ends, in Unix seconds (UTC). Minutes begin at :00 seconds, days at 00:00 UTC."),
        (RetryAfter, JsonSchemaType.Integer, "Seconds until the limit that refused the request starts a new window."),
    ];

    private static OpenApiResponse Error(OpenApiDocument doc, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(ApiErrorResponse), doc) },
        },
    };

    public static void Apply(OpenApiDocument doc)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, type, description) in Headers)
            doc.Components.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };

        foreach (var item in (doc.Paths ?? []).Values)
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("400", Error(doc, "Bad Request: a parameter is unknown, missing or invalid; `param` names it."));
                operation.Responses.TryAdd("429", Error(doc, "Too Many Requests: a rate limit was hit (`rate_limited`); the message names it."));
                if (operation.RequestBody is not null)
                {
                    operation.Responses.TryAdd("413", Error(doc, "Content Too Large: the body is over 1 MB (`body_too_large`)."));
                    operation.Responses.TryAdd("415", Error(doc, "Unsupported Media Type: a body must be sent as `Content-Type: application/json` (`unsupported_media_type`)."));
                }
                foreach (var (status, response) in operation.Responses)
                {
                    if (response is not OpenApiResponse concrete) continue;
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    foreach (var name in new[] { RequestId, Limit, Remaining, Reset })
                        concrete.Headers[name] = new OpenApiHeaderReference(name, doc);
                    if (status == "429") concrete.Headers[RetryAfter] = new OpenApiHeaderReference(RetryAfter, doc);
                }
            }
    }
}
