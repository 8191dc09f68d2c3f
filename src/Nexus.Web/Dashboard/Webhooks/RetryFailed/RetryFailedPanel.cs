using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.RetryFailed;

/// <summary>The bulk-retry form as posted.</summary>
public sealed class RetryFailedForm
{
    /// <summary>One of <see cref="RetryFailedPanel.Choices"/>' values.</summary>
    public string? Since { get; set; }
}

/// <summary>"Retry failed since…": which dead letters of an endpoint to send again.</summary>
public sealed record RetryFailedPanel(WebhookEndpoint Endpoint, string Since, string? Error)
{
    public const string View = "~/Dashboard/Webhooks/RetryFailed/_RetryFailedPanel.cshtml";
    public const string DefaultChoice = "24h";

    public static readonly IReadOnlyList<(string Value, string Label, TimeSpan Span)> Choices =
    [
        ("1h", "the last hour", TimeSpan.FromHours(1)),
        ("24h", "the last 24 hours", TimeSpan.FromDays(1)),
        ("3d", "the last 3 days", TimeSpan.FromDays(3)),
        ("7d", "the last 7 days", TimeSpan.FromDays(7)),
        ("30d", "the last 30 days", TimeSpan.FromDays(30)),
    ];

    public static TimeSpan? Span(string? value) => Choices.FirstOrDefault(c => c.Value == value).Span is { Ticks: > 0 } span ? span : null;
}
