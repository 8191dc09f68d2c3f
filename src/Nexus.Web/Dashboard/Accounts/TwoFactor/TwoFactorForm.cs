namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>The second login step as posted.</summary>
public sealed class TwoFactorForm
{
    public string? Code { get; set; }
}

/// <summary>What the second login step shows: the problem with the last code, if any.</summary>
public sealed record TwoFactorPage(string? Problem = null)
{
    public const string View = "~/Dashboard/Accounts/TwoFactor/TwoFactor.cshtml";
}
