using FastEndpoints;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Authentication;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Accounts.Logout;

/// <summary>
/// Logging out rotates the security stamp, so the cookie just cleared (and any copy of it, on
/// this or another device) is refused by the server from now on, not merely forgotten by this
/// browser.
/// </summary>
public sealed class Endpoint(IDocumentSession session) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/logout");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        session.Patch<User>(HttpContext.Member().User.Id).Set(u => u.SecurityStamp, SecurityStamps.New());
        await session.SaveChangesAsync(ct);
        await HttpContext.SignOutAsync(DashboardAuth.Scheme);
        // A page may ask to come back after signing out (an invitation for another email); only a path on this site.
        var returnUrl = HttpContext.Request.HasFormContentType ? HttpContext.Request.Form["return_url"].ToString() : "";
        await Send.RedirectAsync(returnUrl.Length > 0 && ReturnUrls.Safe(returnUrl) == returnUrl ? returnUrl : "/login");
    }
}
