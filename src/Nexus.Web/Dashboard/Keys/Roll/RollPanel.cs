using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Keys.Roll;

/// <summary>The roll form as posted.</summary>
public sealed class RollForm
{
    /// <summary>How long the old key keeps working, in minutes (one of the <see cref="GraceChoices.Presets"/>).</summary>
    [BindFrom("grace_minutes")]
    public string? GraceMinutes { get; set; }
}

/// <summary>Choosing how long a key being rolled keeps working; or why it cannot be rolled.</summary>
public sealed record RollPanel(ApiKey Key, int GraceMinutes, string? Error)
{
    public const string View = "~/Dashboard/Keys/Roll/_RollPanel.cshtml";

    private static readonly TimeSpan Unit = TimeSpan.FromMinutes(1);

    public static int DefaultGraceMinutes => (int)(KeyRules.DefaultRollGrace / Unit);

    public GraceChoices Grace => GraceChoices.For("grace_minutes", KeyRules.MaxRollGrace, Unit, GraceMinutes,
        "The old key stops working", "“Now” stops the old key at once: anything still using it gets 401.");

    public static bool TryParseGrace(string? value, out int minutes) => GraceChoices.TryParse(value, KeyRules.MaxRollGrace, Unit, out minutes);
}
