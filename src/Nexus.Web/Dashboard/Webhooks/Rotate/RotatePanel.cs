using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Webhooks.Rotate;

/// <summary>The rotate form as posted.</summary>
public sealed class RotateForm
{
    /// <summary>How long the old secret keeps signing, in hours (one of the <see cref="GraceChoices.Presets"/>, 0 to 168).</summary>
    [BindFrom("grace_hours")]
    public string? GraceHours { get; set; }
}

/// <summary>Choosing how long the old secret keeps signing beside the new one (the presets a key roll offers); or why the choice was refused.</summary>
public sealed record RotatePanel(WebhookEndpoint Endpoint, int? GraceHours, string? Error)
{
    public const string View = "~/Dashboard/Webhooks/Rotate/_RotatePanel.cshtml";

    private static readonly TimeSpan Unit = TimeSpan.FromHours(1);

    public static RotatePanel For(WebhookEndpoint endpoint) => new(endpoint, (int)(EndpointManager.DefaultGrace / Unit), null);

    public GraceChoices Grace => GraceChoices.For("grace_hours", EndpointManager.MaxGrace, Unit, GraceHours,
        "The old secret stops signing", "Until then every message carries both signatures. “Now” stops the old secret at once: receivers must verify with the new one.");

    /// <summary>One of the presets, or a message saying what to do.</summary>
    public static string? Problem(string? value, out int hours) =>
        GraceChoices.TryParse(value, EndpointManager.MaxGrace, Unit, out hours) ? null : "Choose when the old secret stops signing.";
}
