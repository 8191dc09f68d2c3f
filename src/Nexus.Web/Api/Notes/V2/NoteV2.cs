using Nexus.Shared.Notes;

namespace Nexus.Web.Api.Notes.V2;

/// <summary>A note, as API v2 shows it.</summary>
public sealed class NoteV2
{
    /// <summary>Unique id, e.g. <c>note_01jd4n6x9m3f8r2k7q5w0y1z3a</c>. Ids sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>note</c>.</summary>
    public string Object { get; init; } = "note";

    /// <summary>Title; when none was given, the first line of the content.</summary>
    public required string Title { get; init; }

    /// <summary>The note's text (Markdown welcome).</summary>
    public required string Content { get; init; }

    /// <summary>Lower-case labels for filtering.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>When the note was created (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the note last changed (ISO 8601, UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public static NoteV2 From(Note n) => new()
    {
        Id = n.Id, Title = n.Title, Content = n.Body, Tags = n.Tags, CreatedAt = n.CreatedAt, UpdatedAt = n.UpdatedAt,
    };

    public static readonly NoteV2 Example = new()
    {
        Id = "note_01jd4n6x9m3f8r2k7q5w0y1z3a",
        Title = "Call Alice",
        Content = "Call Alice\nAbout the Q3 invoice.",
        Tags = ["billing", "q3"],
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z"),
        UpdatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z"),
    };
}
