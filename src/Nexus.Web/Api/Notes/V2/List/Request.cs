using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;

namespace Nexus.Web.Api.Notes.V2.List;

public sealed class Request
{
    /// <summary>Page size, 1–100 (larger values are capped at 100). Default 20.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (a note id). Returns notes older than it.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only notes carrying this tag.</summary>
    [QueryParam]
    public string? Tag { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).Must(l => l is null or > 0).WithMessage("limit must be at least 1");
            RuleFor(x => x.StartingAfter)
                .Must(c => c is null || Ids.IsWellFormed(c, NoteLookup.IdPrefix))
                .WithMessage("starting_after must be a note id taken from next_cursor");
            RuleFor(x => x.Tag).Must(t => t is null || Tags.IsValid(t)).WithMessage("tag is not a valid tag");
        }
    }
}
