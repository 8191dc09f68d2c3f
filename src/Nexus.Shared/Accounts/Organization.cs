namespace Nexus.Shared.Accounts;

public enum Plan
{
    Free,
    Pro,
}

public sealed class Organization
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Plan Plan { get; set; } = Plan.Free;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Until when request and response bodies are kept in the request logs (redacted), while
    /// someone debugs an integration; null (the default) means never.
    /// </summary>
    public DateTimeOffset? DebugCaptureUntil { get; set; }

    /// <summary>How long request logs are kept before the worker deletes them.</summary>
    public int RequestLogRetentionDays { get; set; } = RequestLogs.RequestLogRetention.DefaultDays;

    /// <summary>
    /// Members without two-factor authentication reach only their Account page until they turn it on
    /// (set by Owners; see <see cref="TwoFactorRequirement"/>). API keys are not affected.
    /// </summary>
    public bool RequireTwoFactor { get; set; }
}
