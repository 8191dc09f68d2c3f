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
        await Send.RedirectAsync("/login");
    }
}
