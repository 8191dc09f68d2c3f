using Nexus.Shared.Common;
using FastEndpoints;
using FluentValidation;

namespace Nexus.Web.Api.Notes.V2.Create;

/// <summary>A new note.</summary>
public sealed class Request
{
    /// <summary>The note's text, 1–50,000 characters.</summary>
    public string? Content { get; init; }

    /// <summary>Optional title, up to 200 characters on one line (no line breaks, tabs or other control characters); defaults to the first line of <c>content</c>.</summary>
    public string? Title { get; init; }

    /// <summary>Up to 20 tags: lower-case letters, digits, <c>-</c> and <c>_</c>, 1–40 characters each. Duplicates are dropped.</summary>
    public List<string>? Tags { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Content)
                .NotNull().WithMessage("content is required")
                .NotEmpty().WithMessage("content must not be empty")
                .MaximumLength(NoteLimits.BodyMax).WithMessage($"content must be at most {NoteLimits.BodyMax} characters");
            RuleFor(x => x.Title)
                .MaximumLength(NoteLimits.TitleMax).WithMessage($"title must be at most {NoteLimits.TitleMax} characters")
                .Must(OneLine.Allows).WithMessage(OneLine.ParameterProblem("title"));
            RuleFor(x => x.Tags)
                .Must(t => t is null || t.Count <= NoteLimits.TagsMax).WithMessage($"tags may hold at most {NoteLimits.TagsMax} entries");
            RuleForEach(x => x.Tags)
                .Must(V2.Tags.IsValid).WithMessage($"each tag must be 1–{NoteLimits.TagMax} characters of a–z, 0–9, '-' or '_'");
        }
    }
}
