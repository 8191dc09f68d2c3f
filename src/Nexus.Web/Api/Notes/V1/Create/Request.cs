using FastEndpoints;

namespace Nexus.Web.Api.Notes.V1.Create;

/// <summary>A new note.</summary>
public sealed class Request
{
    /// <summary>Short title, 1–200 characters on one line (no line breaks, tabs or other control characters).</summary>
    public string? Title { get; init; }

    /// <summary>Free text, up to 50,000 characters (may be empty).</summary>
    public string? Body { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Title).NoteTitle();
            RuleFor(x => x.Body).NoteBody();
        }
    }
}
