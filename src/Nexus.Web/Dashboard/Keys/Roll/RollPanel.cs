using FastEndpoints;
using Nexus.Shared.Keys;

namespace Nexus.Web.Dashboard.Keys.Roll;

/// <summary>The roll form as posted.</summary>
public sealed class RollForm
{
    /// <summary>How long the old key keeps working, in minutes (one of <see cref="RollPanel.GraceChoices"/>).</summary>
    [BindFrom("grace_minutes")]
    public string? GraceMinutes { get; set; }
}

/// <summary>Choosing how long a key being rolled keeps working; or why it cannot be rolled.</summary>
public sealed record RollPanel(ApiKey Key, int GraceMinutes, string? Error)
{
    public const string View = "~/Dashboard/Keys/Roll/_RollPanel.cshtml";

    public static readonly IReadOnlyList<(int Minutes, string Label)> GraceChoices =
    [
        (0, "Now"),
        (60, "1 hour"),
        ((int)KeyRules.DefaultRollGrace.TotalMinutes, "24 hours"),
        (3 * 24 * 60, "3 days"),
        ((int)KeyRules.MaxRollGrace.TotalMinutes, "7 days"),
    ];

    public static int DefaultGraceMinutes => (int)KeyRules.DefaultRollGrace.TotalMinutes;

    public static bool TryParseGrace(string? value, out int minutes)
    {
        var ok = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            && GraceChoices.Any(c => c.Minutes == parsed);
        minutes = parsed;
        return ok;
    }
}
