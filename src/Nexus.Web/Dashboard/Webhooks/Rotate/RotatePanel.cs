using System.Globalization;
using FastEndpoints;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Rotate;

/// <summary>The rotate form as posted.</summary>
public sealed class RotateForm
{
    /// <summary>How long the old secret keeps signing, in whole hours (0 to 168).</summary>
    [BindFrom("grace_hours")]
    public string? GraceHours { get; set; }
}

/// <summary>Choosing how long the old secret keeps signing beside the new one; or why the choice was refused.</summary>
public sealed record RotatePanel(WebhookEndpoint Endpoint, string GraceHours, string? Error)
{
    public const string View = "~/Dashboard/Webhooks/Rotate/_RotatePanel.cshtml";
    public static readonly int DefaultHours = (int)EndpointManager.DefaultGrace.TotalHours;
    public static readonly int MaxHours = (int)EndpointManager.MaxGrace.TotalHours;

    public static RotatePanel For(WebhookEndpoint endpoint) => new(endpoint, DefaultHours.ToString(CultureInfo.InvariantCulture), null);

    /// <summary>Whole hours in range, or a message saying what is allowed.</summary>
    public static string? Problem(string? value, out int hours)
    {
        hours = 0;
        if (!int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out hours) || hours > MaxHours)
            return $"The grace period is a whole number of hours from 0 to {MaxHours} (7 days).";
        return null;
    }
}
