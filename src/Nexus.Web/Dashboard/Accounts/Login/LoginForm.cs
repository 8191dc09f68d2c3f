using FastEndpoints;

namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>The login form as posted; names match the inputs.</summary>
public sealed class LoginForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }

    [BindFrom("return_url")]
    public string? ReturnUrl { get; set; }
}

/// <summary>What the login page shows. The error never says which of email or password was wrong.</summary>
public sealed record LoginPage(string Email, string ReturnUrl, bool Failed = false, bool Locked = false, bool NoOrg = false, bool Reset = false)
{
    public const string PasswordWasReset = "Your password was reset. Log in with the new one.";
    public const string NoOrgMessage = "Your account is no longer a member of any organization.";
    public const string NoOrgHelp = "An owner or admin can invite you again; open their invitation link to join.";
    public const string View = "~/Dashboard/Accounts/Login/Login.cshtml";
    public const string Incorrect = "Incorrect email or password.";
    public const string TooManyAttempts = "Too many attempts, try again later.";
}
