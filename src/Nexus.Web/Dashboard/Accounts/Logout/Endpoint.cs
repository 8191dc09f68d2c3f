using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Accounts.Logout;

/// <summary>
/// Logging out ends this session server-side, so the cookie just cleared (and any copy of it) is
/// refused from now on, not merely forgotten by this browser. The user's other sessions (another
/// device) stay signed in; the Account page can end those. A login of theirs still waiting for its
/// second factor, here or elsewhere, ends too: logging out means no new session either.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/logout");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        DashboardSessions.End(session, HttpContext.CurrentSession().Id, clock.GetUtcNow());
        PendingLogins.EndAll(session, HttpContext.Member().User.Id);
        await session.SaveChangesAsync(ct);
        await HttpContext.SignOutAsync(DashboardAuth.Scheme);
        PendingLogins.Clear(HttpContext);
        // A page may ask to come back after signing out (an invitation for another email); only a path on this site.
        var returnUrl = HttpContext.Request.HasFormContentType ? HttpContext.Request.Form["return_url"].ToString() : "";
        await Send.RedirectAsync(returnUrl.Length > 0 && ReturnUrls.Safe(returnUrl) == returnUrl ? returnUrl : "/login");
    }
}
