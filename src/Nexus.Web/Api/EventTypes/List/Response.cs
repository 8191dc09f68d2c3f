using System.Text.Json;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.EventTypes.List;

/// <summary>Every event type Nexus emits.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The event types, in catalog order.</summary>
    public required IReadOnlyList<EventTypeObject> Data { get; init; }

    /// <summary>Always false: the catalog fits on one page.</summary>
    public bool HasMore { get; init; }
}

/// <summary>One kind of event an endpoint can subscribe to, with an example of what it receives.</summary>
public sealed class EventTypeObject
{
    /// <summary>Always <c>event_type</c>.</summary>
    public string Object { get; init; } = "event_type";

    /// <summary>The type's name, e.g. <c>note.created</c>: what <c>enabled_events</c> lists and the payload's <c>type</c> says.</summary>
    public required string Name { get; init; }

    /// <summary>When it happens and what <c>data</c> holds.</summary>
    public required string Description { get; init; }

    /// <summary>An example payload, exactly as an endpoint receives it (signed, with <c>webhook-id</c> equal to <c>id</c>).</summary>
    public required JsonElement Example { get; init; }

    public static EventTypeObject From(EventType t) => new()
    {
        Name = t.Name,
        Description = t.Description,
        Example = JsonDocument.Parse(t.ExamplePayload()).RootElement.Clone(),
    };
}
