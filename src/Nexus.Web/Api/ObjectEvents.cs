using System.Text.Json.Nodes;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api;

/// <summary>
/// The events of an API object's writes (<c>note.*</c>, <c>customer.*</c>), added to the write's own
/// session (the outbox) so the event and its deliveries commit with the change or not at all.
/// <c>data</c> is the object as the API shows it, and a deletion's carries <c>deleted: true</c>. An
/// update's payload also has <c>previous_attributes</c>, as Stripe's events do: the earlier value of
/// each field that changed, and for an object field (metadata) only its keys that changed, null for a
/// key that was added; a receiver learns what changed without keeping a copy.
/// </summary>
public static class ObjectEvents
{
    /// <summary>
    /// Adds the event to <paramref name="session"/>; the caller's <c>SaveChangesAsync</c> commits it.
    /// <paramref name="before"/> is the object as the API showed it before an update (null for other
    /// writes). An object too large for a payload (<see cref="EventOutbox.MaxPayloadBytes"/>: a long
    /// note, or metadata whose characters JSON must escape six bytes each) must not fail its write:
    /// <paramref name="largeField"/> is left out of <c>previous_attributes</c> first, then of
    /// <c>data</c> too, each time as <c>null</c> with <c>{largeField}_omitted: true</c>, for the
    /// receiver to fetch the object by id.
    /// </summary>
    public static async Task<WebhookEvent> PublishAsync(IDocumentSession session, string orgId, Mode mode, string type, JsonObject data,
        JsonObject? before, string largeField, string? requestId, TimeProvider clock, CancellationToken ct)
    {
        if (type.EndsWith(".deleted", StringComparison.Ordinal)) data["deleted"] = true;
        var previous = before is null ? null : Changed(before, data);

        if (await TryPublishAsync() is { } evt) return evt;
        if (previous is not null && previous.ContainsKey(largeField))
        {
            Omit(previous, largeField);
            if (await TryPublishAsync() is { } withoutPrevious) return withoutPrevious;
        }
        Omit(data, largeField);
        return await Publish();

        Task<WebhookEvent> Publish() => EventOutbox.PublishAsync(session, orgId, mode, type, data.ToJsonString(NexusJson.Options),
            previous?.ToJsonString(NexusJson.Options), requestId, clock, ct);

        async Task<WebhookEvent?> TryPublishAsync()
        {
            try
            {
                return await Publish();
            }
            catch (PayloadTooLargeException)
            {
                return null;
            }
        }
    }

    private static void Omit(JsonObject target, string field)
    {
        target[field] = null;
        target[field + "_omitted"] = true;
    }

    /// <summary>The earlier value of each member of <paramref name="after"/> that differs; inside an object member, of each key.</summary>
    internal static JsonObject Changed(JsonObject before, JsonObject after)
    {
        var changed = new JsonObject();
        foreach (var (name, value) in after)
        {
            var earlier = before[name];
            if (JsonNode.DeepEquals(earlier, value)) continue;
            if (earlier is JsonObject earlierObject && value is JsonObject valueObject)
            {
                // Listed only when a key changed: the same keys and values in another order are no change.
                if (ChangedKeys(earlierObject, valueObject) is { Count: > 0 } keys) changed[name] = keys;
                continue;
            }
            changed[name] = earlier?.DeepClone();
        }
        return changed;
    }

    private static JsonObject ChangedKeys(JsonObject before, JsonObject after)
    {
        var changed = new JsonObject();
        foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
            if (!JsonNode.DeepEquals(before[name], after[name])) changed[name] = before[name]?.DeepClone();
        return changed;
    }
}
