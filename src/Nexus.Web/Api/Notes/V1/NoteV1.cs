using Nexus.Shared.Notes;

namespace Nexus.Web.Api.Notes.V1;

/// <summary>A note, as API v1 shows it.</summary>
public sealed class NoteV1
{
    /// <summary>Unique id, e.g. <c>note_01jd4n6x9m3f8r2k7q5w0y1z3a</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Short title.</summary>
    public required string Title { get; init; }

    /// <summary>Free text.</summary>
    public required string Body { get; init; }

    /// <summary>When the note was created (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public static NoteV1 From(Note n) => new() { Id = n.Id, Title = n.Title, Body = n.Body, CreatedAt = n.CreatedAt };
}
