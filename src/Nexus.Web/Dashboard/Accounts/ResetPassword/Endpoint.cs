using FastEndpoints;
using Marten;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.ResetPassword;

/// <summary>The page a reset link opens: a new password, twice, for the account named.</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get(ResetLinks.PathPrefix + "{token}");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        ResetLinks.Protect(HttpContext);
        var token = Route<string>("token", isRequired: false);
        var open = await ResetLinks.FindAsync(session, token, clock.GetUtcNow(), ct);
        await Send.ResultAsync(open is null
            ? ResetLinks.Invalid()
            : RazorView.Page(ResetPasswordPage.View, new ResetPasswordPage(token!, open.User.Email, new FormErrors())));
    }
}
