namespace Nexus.Shared.Accounts;

/// <summary>
/// Who may do what to an org's members, in one place (the dashboard shows <see cref="Summary"/>).
/// Owners manage everyone and grant any role. Admins invite Admins, Developers and Viewers, and
/// change or remove only Developers and Viewers (giving them at most Admin). Developers and Viewers
/// see the members but change nothing. Anyone may leave. An org always keeps at least one Owner:
/// the last one cannot be removed, demoted or leave. Only Owners may require two-factor authentication
/// of every member (or stop requiring it), and only with their own turned on.
/// </summary>
public static class TeamRules
{
    public const string Summary =
        "Owners manage everyone and can grant any role. Admins can invite Admins, Developers and Viewers, and change or remove Developers and Viewers. "
        + "Developers and Viewers can see the members. An organization always keeps at least one Owner.";

    public const string LastOwner = "An organization needs at least one Owner. Make someone else an Owner first.";

    public static bool CanManageTeam(Role actor) => actor is Role.Owner or Role.Admin;

    /// <summary>Whether <paramref name="actor"/> may give <paramref name="role"/> (inviting, or changing a role to it).</summary>
    public static bool CanGrant(Role actor, Role role) => actor switch
    {
        Role.Owner => true,
        Role.Admin => role is Role.Admin or Role.Developer or Role.Viewer,
        _ => false,
    };

    /// <summary>Whether <paramref name="actor"/> may change or remove a member whose role is <paramref name="target"/>.</summary>
    public static bool CanManage(Role actor, Role target) => actor switch
    {
        Role.Owner => true,
        Role.Admin => target is Role.Developer or Role.Viewer,
        _ => false,
    };

    /// <summary>Only Owners may require two-factor authentication of everyone, or stop requiring it.</summary>
    public static bool CanRequireTwoFactor(Role actor) => actor == Role.Owner;

    public const string RequireTwoFactorOwnersOnly = "Only Owners can change whether two-factor authentication is required.";

    public const string RequireTwoFactorOwnFirst = "Turn on two-factor authentication for your own account first, on your Account page.";

    /// <summary>Why <paramref name="actor"/> may not turn the requirement on (or off, when <paramref name="on"/> is false), or null.</summary>
    public static string? RequireTwoFactorProblem(Role actor, bool actorHasTwoFactor, bool on)
    {
        if (!CanRequireTwoFactor(actor)) return RequireTwoFactorOwnersOnly;
        if (on && !actorHasTwoFactor) return RequireTwoFactorOwnFirst;
        return null;
    }

    public static IReadOnlyList<Role> Grantable(Role actor) =>
        [.. Enum.GetValues<Role>().Where(r => CanGrant(actor, r)).OrderByDescending(r => r)];

    /// <summary>The message to show when the change is refused, or null.</summary>
    public static string? RoleChangeProblem(Role actor, Role current, Role wanted, int owners)
    {
        if (!CanManage(actor, current)) return $"{Plural(actor)} cannot change the role of {Article(current)}.";
        if (!CanGrant(actor, wanted)) return $"{Plural(actor)} cannot make someone {Article(wanted)}.";
        if (current == Role.Owner && wanted != Role.Owner && owners <= 1) return LastOwner;
        return null;
    }

    public static string? RemovalProblem(Role actor, Role target, int owners)
    {
        if (!CanManage(actor, target)) return $"{Plural(actor)} cannot remove {Article(target)}.";
        if (target == Role.Owner && owners <= 1) return LastOwner;
        return null;
    }

    public static string? LeaveProblem(Role self, int owners) =>
        self == Role.Owner && owners <= 1 ? "You are the only Owner. Make someone else an Owner before you leave." : null;

    private static string Plural(Role role) => role + "s";

    private static string Article(Role role) => (role == Role.Admin || role == Role.Owner ? "an " : "a ") + role;
}
