using FastEndpoints;
using FluentValidation;

namespace Nexus.Web.Api.Notes.V1.List;

public sealed class Request
{
    /// <summary>How many notes to return, 1–100 (larger values are capped at 100). Default 20.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>How many notes to skip. Default 0.</summary>
    [QueryParam]
    public int? Offset { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).Must(l => l is null or > 0).WithMessage("limit must be at least 1");
            RuleFor(x => x.Offset).Must(o => o is null or >= 0).WithMessage("offset must not be negative");
        }
    }
}
