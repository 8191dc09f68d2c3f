namespace Nexus.Shared.Keys;

/// <summary>The fixed limits of the key lifecycle.</summary>
public static class KeyRules
{
    /// <summary>Active (not revoked, not expired) keys per organization, both modes together.</summary>
    public const int MaxActiveKeysPerOrg = 25;

    public const int MaxNameLength = 60;
    public const int MaxAllowedIps = 50;

    public static readonly TimeSpan DefaultRollGrace = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxRollGrace = TimeSpan.FromDays(7);

    /// <summary>A key that stops working within this window shows as <see cref="KeyStatus.Expiring"/>.</summary>
    public static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(7);
}
