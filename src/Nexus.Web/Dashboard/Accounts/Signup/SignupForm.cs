using FastEndpoints;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Accounts.Signup;

/// <summary>The signup form as posted; names match the inputs.</summary>
public sealed class SignupForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }

    [BindFrom("org_name")]
    public string? OrgName { get; set; }
}

/// <summary>What the signup page shows: typed values (never the password) and messages per field.</summary>
public sealed record SignupPage(string Email, string OrgName, FormErrors Errors)
{
    public const string View = "~/Dashboard/Accounts/Signup/Signup.cshtml";
    public static readonly SignupPage Empty = new("", "", new FormErrors());
}
