using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Docs.Webhooks.Events;

/// <summary>A whole example body for an event type: the envelope every event has, around the catalog's example <c>data</c>.</summary>
public static class ExamplePayload
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(EventType type)
    {
        var body = new JsonObject
        {
            ["id"] = "evt_01jd4n7b2c8d5e3f9g6h1j4k7m",
            ["type"] = type.Name,
            ["created_at"] = "2026-11-22T10:00:00.000Z",
            ["mode"] = "live",
            ["data"] = JsonNode.Parse(type.ExampleData),
        };
        return body.ToJsonString(Indented);
    }
}
