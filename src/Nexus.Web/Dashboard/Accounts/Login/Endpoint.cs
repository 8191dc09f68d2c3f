using FastEndpoints;
using Nexus.Web.Dashboard.Invitations;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.Login;

public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/login");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // The cookie handler sends people here with ?ReturnUrl=/the/page/they/wanted.
        var returnUrl = ReturnUrls.Safe(Query<string>("ReturnUrl", isRequired: false));
        // Coming from an invitation (its "Log in" link, or "Join" after the session ended), this URL holds its token.
        if (InvitationLinks.IsLink(returnUrl)) InvitationLinks.Protect(HttpContext);
        if (HttpContext.MemberOrNull() is not null)
        {
            await Send.RedirectAsync(returnUrl);
            return;
        }
        // After a password reset (ResetPassword.Submit): a notice only, nothing to trust in it.
        var reset = Query<string>("reset", isRequired: false) == "done";
        await Send.ResultAsync(RazorView.Page(LoginPage.View, new LoginPage("", returnUrl, Reset: reset)));
    }
}
