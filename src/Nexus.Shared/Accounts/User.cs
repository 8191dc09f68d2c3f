namespace Nexus.Shared.Accounts;

public sealed class User
{
    public string Id { get; set; } = "";

    /// <summary>Lower-cased, trimmed; unique.</summary>
    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped on logout so every cookie issued before is refused server-side.</summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>The org the user last switched to or joined; login opens it while they are still a member.</summary>
    public string? LastOrgId { get; set; }

    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
