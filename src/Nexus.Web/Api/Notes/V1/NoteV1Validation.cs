using Nexus.Shared.Common;
using FluentValidation;

namespace Nexus.Web.Api.Notes.V1;

internal static class NoteV1Validation
{
    public static IRuleBuilderOptions<T, string?> NoteTitle<T>(this IRuleBuilder<T, string?> rule) => rule
        .NotNull().WithMessage("title is required")
        .NotEmpty().WithMessage("title must not be empty")
        .MaximumLength(NoteLimits.TitleMax).WithMessage($"title must be at most {NoteLimits.TitleMax} characters")
        .Must(OneLine.Allows).WithMessage(OneLine.ParameterProblem("title"));

    public static IRuleBuilderOptions<T, string?> NoteBody<T>(this IRuleBuilder<T, string?> rule) => rule
        .NotNull().WithMessage("body is required")
        .MaximumLength(NoteLimits.BodyMax).WithMessage($"body must be at most {NoteLimits.BodyMax} characters");
}
