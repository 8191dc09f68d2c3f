using FastEndpoints;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Home;

/// <summary>The bare host name lands on the keys page, or on login when nobody is signed in.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.RedirectAsync(HttpContext.MemberOrNull() is null ? "/login" : "/keys");
}
