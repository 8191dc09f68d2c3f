using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Docs.Webhooks.Events;

/// <summary>A whole example body for an event type: the envelope every event has, around the catalog's example <c>data</c>.</summary>
public static class ExamplePayload
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(EventType type) => JsonNode.Parse(type.ExamplePayload())!.ToJsonString(Indented);
}
