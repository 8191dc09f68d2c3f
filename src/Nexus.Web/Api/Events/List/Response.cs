namespace Nexus.Web.Api.Events.List;

/// <summary>A page of events, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The events on this page.</summary>
    public required IReadOnlyList<EventObject> Data { get; init; }

    /// <summary>Whether more events follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
