using FastEndpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.Signup;

public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/signup");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (HttpContext.MemberOrNull() is not null)
        {
            await Send.RedirectAsync(ReturnUrls.Default);
            return;
        }
        await Send.ResultAsync(RazorView.Page(SignupPage.View, SignupPage.Empty));
    }
}
