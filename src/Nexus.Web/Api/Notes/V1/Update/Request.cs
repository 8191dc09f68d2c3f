using FastEndpoints;

namespace Nexus.Web.Api.Notes.V1.Update;

/// <summary>The note's new title and body (both replace the old ones).</summary>
public sealed class Request
{
    /// <summary>The note's id (from the path).</summary>
    /// <remarks>Not a body field: an <c>id</c> in the body is an unknown parameter, not a silent no-op.</remarks>
    [RouteParam]
    public string Id { get; init; } = "";

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
