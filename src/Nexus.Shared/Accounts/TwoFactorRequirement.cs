namespace Nexus.Shared.Accounts;

/// <summary>
/// An org may require two-factor authentication of its members (as GitHub organizations can): a
/// member without it reaches only their Account page, to set it up, change the password, log out or
/// switch to another org. API keys are separate credentials and are not affected.
/// </summary>
public static class TwoFactorRequirement
{
    /// <summary>Whether <paramref name="user"/> is held at the Account page while signed in to <paramref name="org"/>.</summary>
    public static bool Blocks(Organization org, User user) => org.RequireTwoFactor && !user.TwoFactorEnabled;

    /// <summary>The notice on the Account page of a member who is held there.</summary>
    public static string Notice(Organization org) => $"{org.Name} requires two-factor authentication. Set it up to continue.";

    /// <summary>Why two-factor authentication cannot be turned off while <paramref name="orgNames"/> require it.</summary>
    public static string CannotDisable(IReadOnlyList<string> orgNames) =>
        $"You cannot turn it off while {Join(orgNames)} {(orgNames.Count == 1 ? "requires" : "require")} it.";

    /// <summary>With this many recovery codes left or fewer, the Account page suggests making new ones.</summary>
    public const int FewRecoveryCodes = 3;

    private static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "no organization",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
    };
}
