using System.Text.Json;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Delivery;

/// <summary>One delivery opened: the event's payload, every attempt, and what may be done next (with the outcome of the last action, if any).</summary>
public sealed record DeliveryDetail(WebhookDelivery Delivery, WebhookEvent? Event, WebhookEndpoint? Endpoint, DateTimeOffset Now, bool CanManage, Notice? Notice = null)
{
    public const string View = "~/Dashboard/Webhooks/Delivery/_Delivery.cshtml";

    public string Q => "mode=" + Delivery.Mode.ToWire();

    /// <summary>The org's delivery in this mode, or null (also for another org's).</summary>
    public static async Task<DeliveryDetail?> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, bool canManage, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id, WebhookDelivery.IdPrefix)) return null;
        var delivery = await session.LoadAsync<WebhookDelivery>(id, ct);
        if (delivery is null || delivery.OrgId != orgId || delivery.Mode != mode) return null;
        var batch = session.CreateBatchQuery();
        var evt = batch.Load<WebhookEvent>(delivery.EventId);
        var endpoint = batch.Load<WebhookEndpoint>(delivery.EndpointId);
        await batch.Execute(ct);
        return new DeliveryDetail(delivery, await evt, await endpoint, clock.GetUtcNow(), canManage);
    }

    /// <summary>The payload indented for reading; the bytes sent are the stored ones, unchanged.</summary>
    public string PrettyPayload()
    {
        if (Event is null) return "(event not found)";
        try
        {
            using var doc = JsonDocument.Parse(Event.Payload);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return Event.Payload;
        }
    }

    /// <summary>One line of an update's "what changed": a field (or <c>metadata.key</c>) and its value before and after, as JSON.</summary>
    public sealed record Change(string Field, string Before, string After);

    /// <summary>
    /// For a <c>*.updated</c> event, what changed, read from its <c>previous_attributes</c> and <c>data</c>:
    /// each field, and for an object field each key, with its value before and after; empty for other
    /// events. <c>updated_at</c> is left out (it changes with every update), and a value left out of the
    /// payload for its size says so.
    /// </summary>
    public IReadOnlyList<Change> Changes()
    {
        if (Event is null) return [];
        using var doc = JsonDocument.Parse(Event.Payload);
        var root = doc.RootElement;
        if (!root.TryGetProperty("previous_attributes", out var previous) || previous.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return [];
        var changes = new List<Change>();
        foreach (var field in previous.EnumerateObject())
        {
            if (field.Name == "updated_at" || field.Name.EndsWith(OmittedSuffix, StringComparison.Ordinal)) continue;
            var beforeOmitted = previous.TryGetProperty(field.Name + OmittedSuffix, out _);
            var afterOmitted = data.TryGetProperty(field.Name + OmittedSuffix, out _);
            JsonElement? now = data.TryGetProperty(field.Name, out var value) ? value : null;
            if (!beforeOmitted && !afterOmitted && field.Value.ValueKind == JsonValueKind.Object && now?.ValueKind == JsonValueKind.Object)
            {
                // previous_attributes names an object's changed keys only, null for one that was added.
                foreach (var key in field.Value.EnumerateObject())
                    changes.Add(new($"{field.Name}.{key.Name}", key.Value.ValueKind == JsonValueKind.Null ? NotSet : Text(key.Value),
                        now.Value.TryGetProperty(key.Name, out var keyNow) ? Text(keyNow) : NotSet));
                continue;
            }
            changes.Add(new(field.Name, beforeOmitted ? TooLarge : Text(field.Value), afterOmitted ? TooLarge : Text(now)));
        }
        return changes;
    }

    private const string OmittedSuffix = "_omitted", TooLarge = "(left out: too large)", NotSet = "(not set)";

    /// <summary>A value as JSON, cut short for the panel: a note's content may be 50,000 characters.</summary>
    private static string Text(JsonElement? value)
    {
        if (value is not { } v) return NotSet;
        var text = v.GetRawText();
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
