using FastEndpoints;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Accounts.ResetPassword;

/// <summary>The form as posted to the link itself; the token comes from the route.</summary>
public sealed class ResetPasswordForm
{
    public string? Token { get; set; }

    [BindFrom("new_password")]
    public string? NewPassword { get; set; }

    [BindFrom("confirm_password")]
    public string? ConfirmPassword { get; set; }
}

/// <summary>What the reset page shows: whose password is set (never a typed one) and messages per field.</summary>
public sealed record ResetPasswordPage(string Token, string Email, FormErrors Errors)
{
    public const string View = "~/Dashboard/Accounts/ResetPassword/ResetPassword.cshtml";

    /// <summary>The form posts back to the link it was opened from.</summary>
    public string Path => ResetLinks.PathPrefix + Token;
}
