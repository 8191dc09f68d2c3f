namespace Nexus.Web.Api.Notes.V1.List;

/// <summary>A page of notes, newest first.</summary>
public sealed class Response
{
    /// <summary>The notes on this page.</summary>
    public required IReadOnlyList<NoteV1> Data { get; init; }

    /// <summary>How many notes exist in this org and mode.</summary>
    public required int Total { get; init; }

    /// <summary>The page size used.</summary>
    public required int Limit { get; init; }

    /// <summary>The offset used.</summary>
    public required int Offset { get; init; }
}
