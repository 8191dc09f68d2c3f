using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Invitations.Show;

public enum InvitationViewer
{
    /// <summary>Not signed in, and no account has the invited email: sign up here.</summary>
    NewAccount,

    /// <summary>Not signed in, and an account has the invited email: log in, then come back.</summary>
    ExistingAccount,

    /// <summary>Signed in with the invited email.</summary>
    InvitedUser,

    /// <summary>Signed in as someone else.</summary>
    OtherUser,
}

/// <summary>What the invitation page shows. <see cref="Token"/> is the visitor's own link, posted back by its forms.</summary>
public sealed record InvitationPage(string Token, string OrgName, Role Role, string InvitedBy, string Email, DateTimeOffset ExpiresAt,
    InvitationViewer Viewer, string? SignedInAs, FormErrors Errors)
{
    public const string View = "~/Dashboard/Invitations/Show/Invitation.cshtml";

    /// <summary>This page's own path: "Join" posts here, and logging in or out comes back here.</summary>
    public string Path => InvitationLinks.PathPrefix + Token;

    public string LoginUrl => "/login?ReturnUrl=" + Uri.EscapeDataString(Path);

    public string RoleWithArticle => (Role is Role.Admin or Role.Owner ? "an " : "a ") + Role;
}
