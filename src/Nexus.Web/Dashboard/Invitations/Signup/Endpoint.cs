using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Accounts;
using Nexus.Web.Dashboard.Accounts.Signup;
using Nexus.Web.Dashboard.Invitations.Show;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Invitations.Signup;

public sealed class InvitationSignupForm
{
    public string? Token { get; set; }
    public string? Password { get; set; }
}

/// <summary>
/// Signing up from an invitation: the account gets the invited email (it is not a field) and joins
/// the inviting org with the invited role, in one transaction. No org of its own is created.
/// </summary>
public sealed class Endpoint(IDocumentSession session, IPasswordHasher<User> hasher, TimeProvider clock) : Endpoint<InvitationSignupForm>
{
    public override void Configure()
    {
        Post("/invitations/signup");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld());
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(InvitationSignupForm form, CancellationToken ct)
    {
        InvitationLinks.Protect(HttpContext);
        var open = await InvitationLinks.FindAsync(session, form.Token, clock.GetUtcNow(), ct);
        if (open is null)
        {
            await Send.ResultAsync(InvitationLinks.Invalid());
            return;
        }
        var email = open.Invitation.Email;
        var errors = new FormErrors();
        if (HttpContext.MemberOrNull() is not null || await session.Query<User>().AnyAsync(u => u.Email == email, ct))
            errors.Add("password", "An account with this email already exists. Log in to accept the invitation.");
        else if (SignupRules.PasswordProblem(form.Password, email) is { } problem)
            errors.Add("password", problem);

        User? user = null;
        if (!errors.Any)
        {
            var now = clock.GetUtcNow();
            user = new User { Id = Ids.New("user", clock), Email = email, SecurityStamp = SecurityStamps.New(), CreatedAt = now, LastOrgId = open.Org.Id };
            user.PasswordHash = hasher.HashPassword(user, form.Password!);
            session.Store(user);
            // A unique violation here is a signup for the same email that won a race.
            if (await InvitationLinks.AcceptAsync(session, open, user, HttpContext.ActorFor(user), clock, ct) is null)
                errors.Add("password", "This invitation could not be accepted. Reload the page and try again.");
        }
        if (errors.Any || user is null)
        {
            await Send.ResultAsync(RazorView.Page(InvitationPage.View,
                // A fresh session: this one's transaction may have ended in a failed save.
                await Show.Endpoint.PageForAsync(HttpContext.RequestServices.GetRequiredService<IQuerySession>(), HttpContext, form.Token!, open, errors, ct), StatusCodes.Status422UnprocessableEntity));
            return;
        }

        var token = await DashboardSessions.OpenAsync(HttpContext, session, user, clock, ct);
        await HttpContext.SignInAsync(DashboardAuth.Scheme, DashboardMember.Principal(user, open.Org, token));
        await Send.RedirectAsync(ReturnUrls.Default);
    }
}
