using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// A URL an org wants events POSTed to. The signing secret is stored encrypted
/// (<see cref="SecretBox"/>); during a rotation's grace period the previous secret still signs too.
/// </summary>
public sealed class WebhookEndpoint : IModeScoped
{
    public static string Noun => "webhook endpoint";

    public const string IdPrefix = "we";
    public const int MaxPerOrgAndMode = 20;
    public const int MaxDescriptionLength = 500;
    public const int MaxUrlLength = 2048;

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string Url { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>Event types this endpoint receives; empty means every type.</summary>
    public List<string> EventTypes { get; set; } = [];

    public bool Enabled { get; set; } = true;

    /// <summary>Why the endpoint was last disabled by Nexus itself (410 Gone, repeated dead letters); null when a person did it or it is enabled.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>The current signing secret, encrypted.</summary>
    public string SecretCiphertext { get; set; } = "";

    /// <summary>The secret before the last rotation, encrypted; it signs too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecretCiphertext { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>Delays between attempts for this endpoint, in seconds; null uses the deployment's schedule.</summary>
    public List<int>? RetryScheduleSeconds { get; set; }

    /// <summary>Dead letters in a row since the last successful delivery.</summary>
    public int ConsecutiveDeadLetters { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Deleted { get; set; }

    public bool Wants(string eventType) => EventTypes.Count == 0 || EventTypes.Contains(eventType);

    /// <summary>The secrets that sign a message sent at <paramref name="now"/>: the current one, and the previous one during its grace.</summary>
    public IEnumerable<string> SigningCiphertexts(DateTimeOffset now)
    {
        yield return SecretCiphertext;
        if (PreviousSecretCiphertext is not null && PreviousSecretExpiresAt > now) yield return PreviousSecretCiphertext;
    }
}
