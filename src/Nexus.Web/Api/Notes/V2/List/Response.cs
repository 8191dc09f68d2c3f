namespace Nexus.Web.Api.Notes.V2.List;

/// <summary>A page of notes, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The notes on this page.</summary>
    public required IReadOnlyList<NoteV2> Data { get; init; }

    /// <summary>Whether more notes follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
