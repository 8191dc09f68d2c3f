using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Invitations.Show;

/// <summary>
/// The page an invitation link opens: which org, which role, who invited, and the one next step for
/// whoever opened it (sign up, log in, join, or sign out when signed in as someone else).
/// </summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/invitations/{token}");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld());
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        InvitationLinks.Protect(HttpContext);
        var token = Route<string>("token", isRequired: false);
        var open = await InvitationLinks.FindAsync(session, token, clock.GetUtcNow(), ct);
        if (open is null)
        {
            await Send.ResultAsync(InvitationLinks.Invalid());
            return;
        }
        await Send.ResultAsync(RazorView.Page(InvitationPage.View, await PageForAsync(session, HttpContext, token!, open, new FormErrors(), ct)));
    }

    public static async Task<InvitationPage> PageForAsync(IQuerySession session, HttpContext http, string token, OpenInvitation open, FormErrors errors, CancellationToken ct)
    {
        var i = open.Invitation;
        var signedIn = http.MemberOrNull()?.User;
        var viewer = signedIn is not null
            ? signedIn.Email == i.Email ? InvitationViewer.InvitedUser : InvitationViewer.OtherUser
            : await session.Query<User>().AnyAsync(u => u.Email == i.Email, ct) ? InvitationViewer.ExistingAccount : InvitationViewer.NewAccount;
        return new InvitationPage(token, open.Org.Name, i.Role, i.InvitedByEmail, i.Email, i.ExpiresAt, viewer, signedIn?.Email, errors);
    }
}
