namespace Nexus.Shared.Keys;

/// <summary>Where a key is in its life, as lists and the API show it.</summary>
public enum KeyStatus
{
    Active,
    /// <summary>Still works, but stops within <see cref="KeyRules.ExpiringWindow"/> (an expiry date or a roll's grace period).</summary>
    Expiring,
    Expired,
    Revoked,
}

public static class KeyStatusNames
{
    /// <summary>Every status as the API writes it.</summary>
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<KeyStatus>().Select(s => s.ToWire())];

    public static string ToWire(this KeyStatus status) => status switch
    {
        KeyStatus.Active => "active",
        KeyStatus.Expiring => "expiring",
        KeyStatus.Expired => "expired",
        _ => "revoked",
    };

    public static bool TryParse(string? value, out KeyStatus status)
    {
        foreach (var s in Enum.GetValues<KeyStatus>())
            if (string.Equals(s.ToWire(), value, StringComparison.Ordinal)) { status = s; return true; }
        status = default;
        return false;
    }
}
