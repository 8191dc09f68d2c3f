using System.Text.RegularExpressions;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// One kind of event an endpoint can subscribe to, with what its <c>data</c> looks like and, for an
/// update, its <c>previous_attributes</c>.
/// </summary>
public sealed record EventType(string Name, string Description, string ExampleData, string? ExamplePreviousAttributes = null)
{
    /// <summary>A whole example payload, exactly as an endpoint receives it.</summary>
    public string ExamplePayload() => System.Text.Encoding.UTF8.GetString(
        EventOutbox.Payload("evt_01jd4n6xa0k7q5w0y1z3a9m3f8", Name, "2026-11-22T10:00:00.000Z", "live", ExampleData, ExamplePreviousAttributes));
}

/// <summary>
/// The event types Nexus emits. Custom events may also use any <c>custom.*</c> name
/// (lower case letters, digits, <c>_</c> and <c>.</c>), so an org can route its own signals.
/// </summary>
public static partial class EventCatalog
{
    public const string NoteCreated = "note.created";
    public const string NoteUpdated = "note.updated";
    public const string NoteDeleted = "note.deleted";
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerDeleted = "customer.deleted";
    public const string KeyCreated = "key.created";
    public const string KeyRolled = "key.rolled";
    public const string KeyRevoked = "key.revoked";
    public const string EndpointDisabled = "endpoint.disabled";
    public const string TestPing = "test.ping";
    public const string CustomPrefix = "custom.";
    public const int MaxTypeLength = 100;

    public static readonly IReadOnlyList<EventType> All =
    [
        new(NoteCreated, "A note was created (by API v1 or v2). `data` is the note as API v2 shows it; a note too large for a 64 KB payload comes with `content: null` and `content_omitted: true`: fetch it by id.",
            """{"id":"note_01jd4n6x9m3f8r2k7q5w0y1z3a","object":"note","title":"Call Alice","content":"About the Q3 invoice.","tags":[],"created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:00:00.000Z"}"""),
        new(NoteUpdated, "A note's title or content changed. `data` is the note after the change; `previous_attributes` holds the earlier value of each field that changed (`updated_at` included).",
            """{"id":"note_01jd4n6x9m3f8r2k7q5w0y1z3a","object":"note","title":"Call Alice back","content":"About the Q3 invoice.","tags":["billing"],"created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:05:00.000Z"}""",
            """{"title":"Call Alice","updated_at":"2026-11-22T10:00:00.000Z"}"""),
        new(NoteDeleted, "A note was deleted. `data` is the note as it was.",
            """{"id":"note_01jd4n6x9m3f8r2k7q5w0y1z3a","object":"note","title":"Call Alice back","content":"About the Q3 invoice.","tags":["billing"],"created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:05:00.000Z","deleted":true}"""),
        new(CustomerCreated, "A customer was created. `data` is the customer as the API shows it; a customer whose metadata is too large for a 64 KB payload comes with `metadata: null` and `metadata_omitted: true`: fetch it by id.",
            """{"object":"customer","id":"cus_06h0c0032nr9d50bcjwkpn57fm","name":"Jenny Rosen","email":"jenny@example.com","metadata":{"crm_id":"8841"},"mode":"test","created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:00:00.000Z"}"""),
        new(CustomerUpdated, "A customer's name, email or metadata changed. `data` is the customer after the change; `previous_attributes` holds the earlier value of each field that changed (`updated_at` included), and for `metadata` only the keys that changed, with `null` for a key that was added.",
            """{"object":"customer","id":"cus_06h0c0032nr9d50bcjwkpn57fm","name":"Jenny Rosen","email":"jenny.rosen@example.com","metadata":{"crm_id":"8841","tier":"gold"},"mode":"test","created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:05:00.000Z"}""",
            """{"email":"jenny@example.com","metadata":{"tier":null},"updated_at":"2026-11-22T10:00:00.000Z"}"""),
        new(CustomerDeleted, "A customer was deleted. `data` is the customer as it was.",
            """{"object":"customer","id":"cus_06h0c0032nr9d50bcjwkpn57fm","name":"Jenny Rosen","email":"jenny.rosen@example.com","metadata":{},"mode":"test","created_at":"2026-11-22T10:00:00.000Z","updated_at":"2026-11-22T10:05:00.000Z","deleted":true}"""),
        new(KeyCreated, "An API key was created. Never contains the key itself.",
            """{"object":"api_key","id":"key_01jd4n6x9m3f8r2k7q5w0y1z3a","name":"Billing service","prefix":"nx_live_4f9a","kind":"secret","scopes":["read:notes","write:notes"]}"""),
        new(KeyRolled, "An API key was rolled: a successor was issued and the old key stops at `grace_ends_at`.",
            """{"object":"api_key","id":"key_01jd4n6x9m3f8r2k7q5w0y1z3a","rolled_to":"key_01jd4p2c7h5k9m3n8q4r6s0t2v","grace_ends_at":"2026-11-23T10:00:00.000Z"}"""),
        new(KeyRevoked, "An API key was revoked and stopped working at once.",
            """{"object":"api_key","id":"key_01jd4n6x9m3f8r2k7q5w0y1z3a","name":"Billing service","prefix":"nx_live_4f9a","revoked_at":"2026-11-22T10:00:00.000Z"}"""),
        new(EndpointDisabled, "Nexus disabled a webhook endpoint, because it answered 410 Gone or its deliveries kept failing.",
            """{"object":"webhook_endpoint","id":"we_01jd4n6x9m3f8r2k7q5w0y1z3a","url":"https://example.com/webhooks","reason":"5 deliveries in a row were dead-lettered."}"""),
        new(TestPing, "Sent by the dashboard's \"Send test event\" button to check that an endpoint receives and verifies.",
            """{"object":"test","message":"Hello from Nexus. If you can read this, your endpoint works."}"""),
    ];

    private static readonly Dictionary<string, EventType> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static EventType? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>True for a catalog type or a well-formed <c>custom.*</c> name.</summary>
    public static bool IsKnown(string? name) =>
        name is not null && (ByName.ContainsKey(name) || IsCustom(name));

    public static bool IsCustom(string name) =>
        name.Length <= MaxTypeLength && name.StartsWith(CustomPrefix, StringComparison.Ordinal) && CustomName().IsMatch(name);

    // \z, not $: $ also matches before a final newline, which would let "custom.x\n" through.
    [GeneratedRegex(@"^custom\.[a-z0-9_]+(\.[a-z0-9_]+)*\z")]
    private static partial Regex CustomName();
}
