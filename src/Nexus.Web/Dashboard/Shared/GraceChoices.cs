using System.Globalization;

namespace Nexus.Web.Dashboard.Shared;

/// <summary>
/// How long an old credential keeps working beside its successor (a rolled key, a rotated webhook
/// secret), chosen from the same presets in both places and shown by the same partial: a row of
/// segments posting <see cref="Name"/> in the form's own unit (minutes for keys, hours for secrets).
/// </summary>
public sealed record GraceChoices(string Name, string Legend, string Help, IReadOnlyList<(string Value, string Label)> Choices, string? Selected)
{
    public const string View = "~/Dashboard/Shared/_GraceChoices.cshtml";

    public static readonly IReadOnlyList<(TimeSpan Grace, string Label)> Presets =
    [
        (TimeSpan.Zero, "Now"),
        (TimeSpan.FromHours(1), "In 1 hour"),
        (TimeSpan.FromHours(24), "In 24 hours"),
        (TimeSpan.FromDays(3), "In 3 days"),
        (TimeSpan.FromDays(7), "In 7 days"),
    ];

    /// <summary>The presets up to <paramref name="max"/>, written in <paramref name="unit"/> (whole units of a grace).</summary>
    public static IReadOnlyList<(int Value, string Label)> Within(TimeSpan max, TimeSpan unit) =>
        [.. Presets.Where(p => p.Grace <= max).Select(p => ((int)(p.Grace / unit), p.Label))];

    /// <summary>The choices as radio buttons, with <paramref name="selected"/> (a value in that unit) checked.</summary>
    public static GraceChoices For(string name, TimeSpan max, TimeSpan unit, int? selected, string legend, string help) =>
        new(name, legend, help, [.. Within(max, unit).Select(c => (c.Value.ToString(CultureInfo.InvariantCulture), c.Label))],
            selected?.ToString(CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="value"/> is one of the presets up to <paramref name="max"/>, written in <paramref name="unit"/>.</summary>
    public static bool TryParse(string? value, TimeSpan max, TimeSpan unit, out int parsed)
    {
        var ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Within(max, unit).Any(c => c.Value == number);
        parsed = number;
        return ok;
    }
}
