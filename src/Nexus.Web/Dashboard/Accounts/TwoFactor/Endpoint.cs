using FastEndpoints;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>The second login step: asks for the authenticator's code after a correct password.</summary>
public sealed class Endpoint(PendingLogins pendingLogins) : EndpointWithoutRequest
{
    public const string Path = "/login/code";

    public override void Configure()
    {
        Get(Path);
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // Nothing pending (never started, or the five minutes ran out): back to the password.
        if (pendingLogins.Read(HttpContext) is null)
        {
            await Send.RedirectAsync("/login");
            return;
        }
        await Send.ResultAsync(RazorView.Page(TwoFactorPage.View, new TwoFactorPage()));
    }
}
