using Nexus.Shared.Accounts;

namespace Nexus.Web.Dashboard.Team;

/// <summary>Roles as forms post them and audit entries record them.</summary>
public static class RoleNames
{
    /// <summary>The role named exactly (any case); numbers and unknown names are null.</summary>
    public static Role? Parse(string? value) =>
        value is { Length: > 0 and <= 20 } && value.All(char.IsAsciiLetter) && Enum.TryParse<Role>(value, ignoreCase: true, out var role) ? role : null;

    public static string Wire(Role role) => role.ToString().ToLowerInvariant();
}
