using FastEndpoints;
using Marten;
using Nexus.Web.Dashboard.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Invitations.Accept;

/// <summary>
/// "Join": the signed-in user with the invited email becomes a member and the session switches to
/// the org. Anyone else (another email, a used or expired link) changes nothing. The form posts to
/// the invitation's own URL, so a visitor whose session has ended is sent to log in with that page as
/// the return URL (the cookie handler's ReturnUrl, checked by <see cref="ReturnUrls"/>), and comes
/// back to "Join" rather than to a URL that is no invitation.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/invitations/{token}");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        InvitationLinks.Protect(HttpContext);
        var member = HttpContext.Member();
        var open = await InvitationLinks.FindAsync(session, Route<string>("token", isRequired: false), clock.GetUtcNow(), ct);
        if (open is null)
        {
            await Send.ResultAsync(InvitationLinks.Invalid());
            return;
        }
        if (open.Invitation.Email != member.User.Email)
        {
            await Send.ResultAsync(Results.Text($"This invitation is for another email address. You are signed in as {member.User.Email}.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden));
            return;
        }

        if (await InvitationLinks.AcceptAsync(session, open, member.User, HttpContext.ActorFor(member.User), clock, ct) is null)
        {
            await Send.ResultAsync(InvitationLinks.Invalid());
            return;
        }
        await using var fresh = HttpContext.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
        await OrgSessions.SignInAsync(HttpContext, fresh, member.User, open.Org, ct);
        await Send.RedirectAsync(ReturnUrls.Default);
    }
}
