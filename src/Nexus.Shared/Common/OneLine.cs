namespace Nexus.Shared.Common;

/// <summary>
/// Names, titles and descriptions are shown on one line: in lists, page titles, the sidebar, the
/// audit log and notification emails. A line break, tab or other control character (U+0000–U+001F,
/// U+007F–U+009F) in one breaks that layout at best and forges a line of it at worst, so every such
/// field refuses them, with the same words. Values stored before a field took the rule keep theirs:
/// only a value being set is checked.
/// </summary>
public static class OneLine
{
    public const string Forbidden = "line breaks, tabs or other control characters";

    public static bool Allows(string? text) => text is null || !text.Any(char.IsControl);

    /// <summary>The refusal as a sentence for a form or an API refusal naming the field: "Use … only in the name: no line breaks, …".</summary>
    public static string Problem(string field) => $"Use letters, digits, spaces and punctuation only in the {field}: no {Forbidden}.";

    /// <summary>The refusal in the API validators' style, which starts with the parameter's name: "title must not contain line breaks, …".</summary>
    public static string ParameterProblem(string parameter) => $"{parameter} must not contain {Forbidden}";
}
