namespace Nexus.Web.Infrastructure.Errors;

/// <summary>One documented error code.</summary>
public sealed record ErrorCode(string Code, string Type, int Status, string Title, string WhatToDo);

/// <summary>Every error code the API can answer with. Each has a page at <c>/docs/errors/{code}</c>.</summary>
public static class ErrorCatalog
{
    public static readonly ErrorCode ApiKeyMissing = new("api_key_missing", "authentication_error", 401,
        "No API key was sent",
        "Send your secret key in the Authorization header: `Authorization: Bearer nx_test_…`. Create keys in the dashboard under Keys.");
    public static readonly ErrorCode ApiKeyWrongHeader = new("api_key_wrong_header", "authentication_error", 401,
        "The API key was sent in the wrong place",
        "Nexus reads keys only from `Authorization: Bearer <key>`, never from other headers or the query string (where they end up in logs).");
    public static readonly ErrorCode ApiKeyInvalid = new("api_key_invalid", "authentication_error", 401,
        "The API key is not valid",
        "Check that you copied the whole key. Keys start with nx_live_ or nx_test_ and end in a checksum, so a mistyped key is caught at once. If the key was lost, create a new one in the dashboard.");
    public static readonly ErrorCode ApiKeyRevoked = new("api_key_revoked", "authentication_error", 401,
        "The API key has been revoked",
        "Revoked keys stop working immediately and cannot be restored. Create a new key in the dashboard and update your integration.");
    public static readonly ErrorCode KeyExpired = new("key_expired", "authentication_error", 401,
        "The API key has expired",
        "The key reached its expiry date, or it was rolled and its grace period is over. Use the key that replaced it, or create a new one in the dashboard.");
    public static readonly ErrorCode PermissionDenied = new("permission_denied", "permission_error", 403,
        "The API key may not do this",
        "The key is valid but lacks the scope this route needs; the message names it. Publishable keys (nx_pk_…) hold only read scopes. Give the key the scope in the dashboard, or use a secret key that has it.");
    public static readonly ErrorCode IpNotAllowed = new("ip_not_allowed", "permission_error", 403,
        "The request came from an address outside the key's allowlist",
        "The key only accepts requests from the IP ranges in its allowlist. Call from one of them, or add your address to the key's allowlist in the dashboard.");
    public static readonly ErrorCode RateLimited = new("rate_limited", "rate_limit_error", 429,
        "Too many requests",
        "A rate limit was hit; the message says which one. Wait for the number of seconds in the `Retry-After` header and try again.");
    public static readonly ErrorCode KeyLimitReached = new("key_limit_reached", "invalid_request_error", 400,
        "The organization has as many active keys as it may have",
        "An organization may have 25 active keys. Revoke keys you no longer use, then create the new one.");
    public static readonly ErrorCode KeyAlreadyRevoked = new("key_already_revoked", "invalid_request_error", 409,
        "The key was already revoked",
        "Nothing changed: a revoked key stays revoked. Create a new key if you need one.");
    public static readonly ErrorCode KeyNotActive = new("key_not_active", "invalid_request_error", 409,
        "The key cannot be changed in its current state",
        "Revoked and expired keys cannot be rolled or edited, and a key that was already rolled is replaced by its successor: act on that key instead.");
    public static readonly ErrorCode UrlInvalid = new("url_invalid", "invalid_request_error", 400,
        "The webhook URL is not usable",
        "Send an absolute https:// URL without a user name, password or fragment, at most 2048 characters. Plain http:// is accepted only when the deployment allows it.");
    public static readonly ErrorCode UrlBlocked = new("url_blocked", "invalid_request_error", 400,
        "The webhook URL points at a private or reserved address",
        "Webhooks may not reach loopback, private (RFC 1918), link-local, cloud metadata or other reserved addresses, whether written as an IP or as a host name resolving to one. Use a public address; a self-hosted deployment can allow private networks with Nexus:Webhooks:AllowedPrivateNetworks.");
    public static readonly ErrorCode EndpointLimitReached = new("endpoint_limit_reached", "invalid_request_error", 400,
        "The organization has as many webhook endpoints as it may have",
        "An organization may have 20 webhook endpoints in each mode. Delete one you no longer use, or subscribe an existing endpoint to more event types.");
    public static readonly ErrorCode EndpointDisabled = new("endpoint_disabled", "invalid_request_error", 409,
        "The webhook endpoint is disabled",
        "Deliveries to a disabled endpoint cannot be retried or replayed. Enable it first (`POST /api/v1/webhook-endpoints/{id}` with `\"disabled\": false`), then try again.");
    public static readonly ErrorCode EndpointDeleted = new("endpoint_deleted", "invalid_request_error", 409,
        "The delivery's webhook endpoint was deleted",
        "A delivery goes only to its own endpoint, and that endpoint no longer exists, so it cannot be retried. To send the event to another endpoint, replay it (`POST /api/v1/events/{id}/replay` with that `endpoint_id`).");
    public static readonly ErrorCode EventTypeUnknown = new("event_type_unknown", "invalid_request_error", 400,
        "The event type is not known",
        "Use a type from `GET /api/v1/event-types`, or a custom type named `custom.` followed by lower-case letters, digits, `_` and `.` (e.g. `custom.invoice.paid`).");
    public static readonly ErrorCode EventPayloadTooLarge = new("event_payload_too_large", "invalid_request_error", 413,
        "The event payload is too large",
        "An event's payload (its `data` with the id, type, time and mode around it) may be at most 64 KB. Send an id and let the receiver fetch the rest.");
    public static readonly ErrorCode DeliveryInProgress = new("delivery_in_progress", "invalid_request_error", 409,
        "The delivery is being attempted right now",
        "A worker is sending this delivery at this moment. Wait until the attempt is recorded (a few seconds at most), then retry if it failed.");
    public static readonly ErrorCode ParameterMissing = new("parameter_missing", "invalid_request_error", 400,
        "A required parameter is missing",
        "The `param` field names it. Check the endpoint's reference in the API docs.");
    public static readonly ErrorCode ParameterInvalid = new("parameter_invalid", "invalid_request_error", 400,
        "A parameter has an invalid value",
        "The `param` field names it and `message` says what is allowed.");
    public static readonly ErrorCode ParameterUnknown = new("parameter_unknown", "invalid_request_error", 400,
        "The request contains a parameter this endpoint does not accept",
        "Remove it. Nexus rejects unknown fields instead of silently ignoring them, so typos and fields you may not set (such as ids or org ids) never go unnoticed.");
    public static readonly ErrorCode BodyInvalidJson = new("body_invalid_json", "invalid_request_error", 400,
        "The request body is not valid JSON",
        "Send a single JSON object, encoded as UTF-8, with `Content-Type: application/json`.");
    public static readonly ErrorCode BodyTooLarge = new("body_too_large", "invalid_request_error", 413,
        "The request body is too large",
        "Request bodies are limited to 1 MB. Split the data or shorten the fields.");
    public static readonly ErrorCode RequestUrlTooLong = new("request_url_too_long", "invalid_request_error", 414,
        "The request URL is too long",
        "The path and query string together may be at most 8,192 characters. Send fewer or shorter query parameters.");
    public static readonly ErrorCode UnsupportedMediaType = new("unsupported_media_type", "invalid_request_error", 415,
        "The request body has the wrong content type",
        "Send JSON with `Content-Type: application/json`.");
    public static readonly ErrorCode ResourceMissing = new("resource_missing", "invalid_request_error", 404,
        "No such object",
        "Nothing with that id exists for your key; the message names what was looked for (`No such customer: 'cus_…'.`). Test keys see only test-mode data and live keys only live data. When the id exists in your organization's other mode, the message says so (`No such customer: 'cus_…'; a similar object exists in live mode, but a test mode key was used to make this request.`): use a key of that mode. Ids of other organizations are never confirmed: they answer like ids that do not exist.");
    public static readonly ErrorCode RouteNotFound = new("route_not_found", "invalid_request_error", 404,
        "No such API route",
        "Check the path and the version prefix (/api/v1 or /api/v2) against the API docs.");
    public static readonly ErrorCode MethodNotAllowed = new("method_not_allowed", "invalid_request_error", 405,
        "The route does not accept this HTTP method",
        "Check the API docs for the methods this path supports.");
    public static readonly ErrorCode InternalError = new("internal_error", "api_error", 500,
        "Something went wrong on Nexus's side",
        "Nothing you sent caused this. Retry with the same Idempotency-Key; if it persists, contact support with the request id.");
    public static readonly ErrorCode ServiceUnavailable = new("service_unavailable", "api_error", 503,
        "Nexus cannot reach its database right now",
        "Nothing was saved. Retry after a short wait.");
    public static readonly ErrorCode IdempotencyKeyInvalid = new("idempotency_key_invalid", "invalid_request_error", 400,
        "The Idempotency-Key header is not valid",
        "Send at most 255 printable ASCII characters, e.g. a UUID you generate per operation: `Idempotency-Key: 5f0c2a3e-…`.");
    public static readonly ErrorCode IdempotencyKeyReused = new("idempotency_key_reused", "idempotency_error", 422,
        "The Idempotency-Key was already used with different parameters",
        "A key stands for one operation for 24 hours. Retry with exactly the same method, path and body, or use a new key for a new operation.");
    public static readonly ErrorCode IdempotencyRequestInProgress = new("idempotency_request_in_progress", "idempotency_error", 409,
        "A request with this Idempotency-Key is still running",
        "Another request with the same key has not finished yet. Wait a moment and retry with the same key: you will get its response.");

    public static readonly IReadOnlyList<ErrorCode> All =
    [
        ApiKeyMissing, ApiKeyWrongHeader, ApiKeyInvalid, ApiKeyRevoked, KeyExpired, PermissionDenied, IpNotAllowed, RateLimited,
        KeyLimitReached, KeyAlreadyRevoked, KeyNotActive,
        UrlInvalid, UrlBlocked, EndpointLimitReached, EndpointDisabled, EndpointDeleted, EventTypeUnknown, EventPayloadTooLarge, DeliveryInProgress,
        ParameterMissing, ParameterInvalid, ParameterUnknown, BodyInvalidJson, BodyTooLarge, RequestUrlTooLong, UnsupportedMediaType,
        ResourceMissing, RouteNotFound, MethodNotAllowed, InternalError, ServiceUnavailable,
        IdempotencyKeyInvalid, IdempotencyKeyReused, IdempotencyRequestInProgress,
    ];

    public static ErrorCode? Find(string code) => All.FirstOrDefault(e => e.Code == code);
}
