using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Tests.Support;

/// <summary>Every API route, with a body it would accept, so a test can try the same thing on all of them.</summary>
public static class ApiRoutes
{
    public static readonly (string Method, string Path)[] All =
    [
        ("GET", "/api/v1/notes"),
        ("POST", "/api/v1/notes"),
        ("GET", "/api/v1/notes/{id}"),
        ("PUT", "/api/v1/notes/{id}"),
        ("DELETE", "/api/v1/notes/{id}"),
        ("GET", "/api/v2/notes"),
        ("POST", "/api/v2/notes"),
        ("GET", "/api/v2/notes/{id}"),
        ("GET", "/api/v1/keys"),
        ("POST", "/api/v1/keys"),
        ("GET", "/api/v1/keys/{id}"),
        ("POST", "/api/v1/keys/{id}"),
        ("POST", "/api/v1/keys/{id}/roll"),
        ("POST", "/api/v1/keys/{id}/revoke"),
        ("GET", "/api/v1/audit-log"),
        ("GET", "/api/v1/audit-log/{id}"),
        ("GET", "/api/v1/request-logs"),
        ("GET", "/api/v1/request-logs/{id}"),
        ("GET", "/api/v1/usage"),
        ("GET", "/api/v1/webhook-endpoints"),
        ("POST", "/api/v1/webhook-endpoints"),
        ("GET", "/api/v1/webhook-endpoints/{id}"),
        ("POST", "/api/v1/webhook-endpoints/{id}"),
        ("DELETE", "/api/v1/webhook-endpoints/{id}"),
        ("POST", "/api/v1/webhook-endpoints/{id}/rotate-secret"),
        ("GET", "/api/v1/webhook-endpoints/{id}/secret"),
        ("POST", "/api/v1/webhook-endpoints/{id}/retry-failed"),
        ("GET", "/api/v1/events"),
        ("POST", "/api/v1/events"),
        ("GET", "/api/v1/events/{id}"),
        ("POST", "/api/v1/events/{id}/replay"),
        ("GET", "/api/v1/event-types"),
        ("GET", "/api/v1/webhook-deliveries"),
        ("GET", "/api/v1/webhook-deliveries/{id}"),
        ("POST", "/api/v1/webhook-deliveries/{id}/retry"),
        ("GET", "/api/v1/customers"),
        ("POST", "/api/v1/customers"),
        ("GET", "/api/v1/customers/{id}"),
        ("POST", "/api/v1/customers/{id}"),
        ("DELETE", "/api/v1/customers/{id}"),
    ];

    /// <summary>What a route's <c>{id}</c> (or list) is about.</summary>
    public enum Resource { Notes, Keys, AuditLog, RequestLogs, Usage, WebhookEndpoints, Events, EventTypes, WebhookDeliveries, Customers }

    public static Resource ResourceOf(string path) => path switch
    {
        _ when path.Contains("/webhook-endpoints") => Resource.WebhookEndpoints,
        _ when path.Contains("/webhook-deliveries") => Resource.WebhookDeliveries,
        _ when path.Contains("/event-types") => Resource.EventTypes,
        _ when path.Contains("/customers") => Resource.Customers,
        _ when path.Contains("/events") => Resource.Events,
        _ when path.Contains("/notes") => Resource.Notes,
        _ when path.Contains("/keys") => Resource.Keys,
        _ when path.Contains("/audit-log") => Resource.AuditLog,
        _ when path.Contains("/usage") => Resource.Usage,
        _ => Resource.RequestLogs,
    };

    /// <summary>The scope each route declares with <c>Scopes(...)</c>: a key without it gets 403 naming it.</summary>
    public static readonly IReadOnlyDictionary<(string Method, string Path), string> Scopes = new Dictionary<(string, string), string>
    {
        [("GET", "/api/v1/notes")] = KeyScopes.ReadNotes,
        [("POST", "/api/v1/notes")] = KeyScopes.WriteNotes,
        [("GET", "/api/v1/notes/{id}")] = KeyScopes.ReadNotes,
        [("PUT", "/api/v1/notes/{id}")] = KeyScopes.WriteNotes,
        [("DELETE", "/api/v1/notes/{id}")] = KeyScopes.WriteNotes,
        [("GET", "/api/v2/notes")] = KeyScopes.ReadNotes,
        [("POST", "/api/v2/notes")] = KeyScopes.WriteNotes,
        [("GET", "/api/v2/notes/{id}")] = KeyScopes.ReadNotes,
        [("GET", "/api/v1/keys")] = KeyScopes.AdminAll,
        [("POST", "/api/v1/keys")] = KeyScopes.AdminAll,
        [("GET", "/api/v1/keys/{id}")] = KeyScopes.AdminAll,
        [("POST", "/api/v1/keys/{id}")] = KeyScopes.AdminAll,
        [("POST", "/api/v1/keys/{id}/roll")] = KeyScopes.AdminAll,
        [("POST", "/api/v1/keys/{id}/revoke")] = KeyScopes.AdminAll,
        [("GET", "/api/v1/audit-log")] = KeyScopes.AdminAll,
        [("GET", "/api/v1/audit-log/{id}")] = KeyScopes.AdminAll,
        [("GET", "/api/v1/request-logs")] = KeyScopes.ReadLogs,
        [("GET", "/api/v1/request-logs/{id}")] = KeyScopes.ReadLogs,
        [("GET", "/api/v1/usage")] = KeyScopes.ReadLogs,
        [("GET", "/api/v1/webhook-endpoints")] = KeyScopes.ReadWebhooks,
        [("POST", "/api/v1/webhook-endpoints")] = KeyScopes.WriteWebhooks,
        [("GET", "/api/v1/webhook-endpoints/{id}")] = KeyScopes.ReadWebhooks,
        [("POST", "/api/v1/webhook-endpoints/{id}")] = KeyScopes.WriteWebhooks,
        [("DELETE", "/api/v1/webhook-endpoints/{id}")] = KeyScopes.WriteWebhooks,
        [("POST", "/api/v1/webhook-endpoints/{id}/rotate-secret")] = KeyScopes.WriteWebhooks,
        [("GET", "/api/v1/webhook-endpoints/{id}/secret")] = KeyScopes.AdminAll,
        [("POST", "/api/v1/webhook-endpoints/{id}/retry-failed")] = KeyScopes.WriteWebhooks,
        [("GET", "/api/v1/events")] = KeyScopes.ReadEvents,
        [("POST", "/api/v1/events")] = KeyScopes.WriteEvents,
        [("GET", "/api/v1/events/{id}")] = KeyScopes.ReadEvents,
        [("POST", "/api/v1/events/{id}/replay")] = KeyScopes.WriteWebhooks,
        [("GET", "/api/v1/event-types")] = KeyScopes.ReadEvents,
        [("GET", "/api/v1/webhook-deliveries")] = KeyScopes.ReadWebhooks,
        [("GET", "/api/v1/webhook-deliveries/{id}")] = KeyScopes.ReadWebhooks,
        [("POST", "/api/v1/webhook-deliveries/{id}/retry")] = KeyScopes.WriteWebhooks,
        [("GET", "/api/v1/customers")] = KeyScopes.ReadCustomers,
        [("POST", "/api/v1/customers")] = KeyScopes.WriteCustomers,
        [("GET", "/api/v1/customers/{id}")] = KeyScopes.ReadCustomers,
        [("POST", "/api/v1/customers/{id}")] = KeyScopes.WriteCustomers,
        [("DELETE", "/api/v1/customers/{id}")] = KeyScopes.WriteCustomers,
    };

    public static string ScopeFor(string method, string path) => Scopes[(method, path)];

    public static TheoryData<string, string> AllRoutes() => Data(All);

    public static TheoryData<string, string> WriteRoutes() => Data(BodyRoutes);

    /// <summary>
    /// A request to the route for object <paramref name="id"/>, with a valid body where the route
    /// takes one. Tests about failures that come before the handler (authentication, bodies) may
    /// pass a note id for every route.
    /// </summary>
    public static HttpRequestMessage Request(string method, string path, string id, HttpContent? body = null) =>
        new(new HttpMethod(method), path.Replace("{id}", id)) { Content = body ?? ValidBody(method, path) };

    public static HttpContent? ValidBody(string method, string path) => (method, path) switch
    {
        ("POST", "/api/v1/keys") => NoteData.Json("""{"name":"New key"}"""),
        ("POST", "/api/v1/keys/{id}") => NoteData.Json("""{"name":"Renamed"}"""),
        ("POST", "/api/v1/keys/{id}/roll") => NoteData.Json("""{"grace_period_minutes":60}"""),
        ("POST", "/api/v1/keys/{id}/revoke") => null,
        ("POST", "/api/v1/webhook-endpoints") => NoteData.Json($$"""{"url":"{{ReceiverUrl}}","enabled_events":["note.created"]}"""),
        ("POST", "/api/v1/webhook-endpoints/{id}") => NoteData.Json("""{"description":"Renamed"}"""),
        ("POST", "/api/v1/webhook-endpoints/{id}/rotate-secret") => NoteData.Json("""{"grace_period_seconds":60}"""),
        ("POST", "/api/v1/webhook-endpoints/{id}/retry-failed") => NoteData.Json("""{"since":"2020-01-01T00:00:00Z"}"""),
        ("POST", "/api/v1/events") => NoteData.Json("""{"type":"custom.ping","data":{"ok":true}}"""),
        ("POST", "/api/v1/events/{id}/replay") => NoteData.Json("{}"),
        ("POST", "/api/v1/webhook-deliveries/{id}/retry") => null,
        ("POST", "/api/v1/customers") => NoteData.Json("""{"name":"Jenny Rosen","email":"jenny@example.com"}"""),
        ("POST", "/api/v1/customers/{id}") => NoteData.Json("""{"name":"Jenny R."}"""),
        ("POST" or "PUT", _) when path.StartsWith("/api/v1/") => NoteData.Json("""{"title":"Valid title","body":"Valid body"}"""),
        ("POST", _) => NoteData.Json("""{"content":"Valid content","tags":["valid"]}"""),
        _ => null,
    };

    /// <summary>Roll takes an optional body: a bodiless POST rolls with the default grace period.</summary>
    public static bool BodyOptional(string method, string path) => method == "POST"
        && path is "/api/v1/keys/{id}/roll" or "/api/v1/webhook-endpoints/{id}/rotate-secret" or "/api/v1/events/{id}/replay"
            or "/api/v1/keys/{id}/revoke" or "/api/v1/webhook-deliveries/{id}/retry";

    /// <summary>A loopback URL the tests' SSRF allowlist permits; nothing listens there (no worker runs in web tests).</summary>
    public const string ReceiverUrl = "http://127.0.0.1:9/hooks";

    /// <summary>A field the route's body takes, with a JSON value it accepts and another one; for body-error tests.</summary>
    public static (string Name, string Value, string Other) SampleField(string method, string path) => path switch
    {
        "/api/v1/keys/{id}/roll" => ("grace_period_minutes", "60", "61"),
        "/api/v1/webhook-endpoints/{id}/rotate-secret" => ("grace_period_seconds", "60", "61"),
        "/api/v1/webhook-endpoints/{id}/retry-failed" => ("since", "\"2020-01-01\"", "\"2020-01-02\""),
        _ when path.StartsWith("/api/v1/webhook-endpoints") => ("description", "\"t\"", "\"u\""),
        "/api/v1/events/{id}/replay" => ("endpoint_id", "\"we_01jd4n6x9m3f8r2k7q5w0y1z3a\"", "\"we_01jd4n6x9m3f8r2k7q5w0y1z3b\""),
        "/api/v1/events" => ("type", "\"custom.a\"", "\"custom.b\""),
        _ when path.StartsWith("/api/v1/customers") => ("name", "\"t\"", "\"u\""),
        _ when path.StartsWith("/api/v1/keys") => ("name", "\"t\"", "\"u\""),
        _ => ("title", "\"t\"", "\"u\""),
    };

    /// <summary>One object of each kind for an org, so every route has a real <c>{id}</c> of that org and mode.</summary>
    public sealed record Targets(string NoteId, string KeyId, string AuditEntryId, string RequestLogId,
        string EndpointId, string EventId, string DeliveryId, string CustomerId)
    {
        public string IdFor(string path) => ResourceOf(path) switch
        {
            Resource.Notes => NoteId,
            Resource.Keys => KeyId,
            Resource.AuditLog => AuditEntryId,
            // Usage is a summary, not a list of objects: it lists the org's working keys, the target key among them.
            Resource.Usage => KeyId,
            Resource.WebhookEndpoints => EndpointId,
            Resource.Events => EventId,
            Resource.WebhookDeliveries => DeliveryId,
            Resource.Customers => CustomerId,
            // The catalog lists types by name; every org sees the same ones.
            Resource.EventTypes => EventCatalog.NoteCreated,
            _ => RequestLogId,
        };
    }

    /// <remarks>Pass <c>noteId</c> to use a note the test already stored instead of a new one.</remarks>
    public static async Task<Targets> SeedAsync(TestOrg org, Mode mode = Mode.Test, string? noteId = null)
    {
        noteId ??= (await org.StoreNoteAsync(mode, "Original", "Original body")).Id;
        var (_, key) = await org.CreateKeyAsync(mode, name: "Target key");
        var entry = AuditEntry.For(org.Org.Id, mode, AuditActor.User(org.Owner.Id, org.Owner.Email, "127.0.0.1", null),
            AuditActions.KeyCreated, "api_key", key.Id, "Target key", TimeProvider.System);
        var log = new RequestLog
        {
            Id = Ids.New("req"), OrgId = org.Org.Id, Mode = mode, KeyId = key.Id, KeyPrefix = key.Prefix, At = DateTimeOffset.UtcNow,
            Method = "GET", Route = "/api/v1/notes", Path = "/api/v1/notes", Status = 200,
        };
        var customer = new Customer
        {
            Id = Ids.New(Customer.IdPrefix), OrgId = org.Org.Id, Mode = mode, Name = "Target customer",
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(entry);
        session.Store(log);
        session.Store(customer);
        await session.SaveChangesAsync();
        var (endpoint, evt, delivery) = await WebhookData.SeedDeliveryAsync(org, mode);
        return new Targets(noteId, key.Id, entry.Id, log.Id, endpoint.Id, evt.Id, delivery.Id, customer.Id);
    }

    public static HttpRequestMessage Request(string method, string path, Targets targets, HttpContent? body = null) =>
        Request(method, path, targets.IdFor(path), body);

    /// <summary>Routes that take a JSON body (and so answer body errors): every POST and PUT but revoke, which takes none.</summary>
    public static IEnumerable<(string Method, string Path)> BodyRoutes =>
        All.Where(r => r.Method is "POST" or "PUT" && ValidBody(r.Method, r.Path) is not null);

    private static TheoryData<string, string> Data(IEnumerable<(string Method, string Path)> routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in routes) data.Add(method, path);
        return data;
    }
}
