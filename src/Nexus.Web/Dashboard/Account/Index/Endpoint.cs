using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.Index;

public sealed class Endpoint(SecretBox box) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get(AccountPage.Path);
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var user = HttpContext.Member().User;
        // Reloading during set-up shows the same secret again (the app may already hold it).
        var page = AccountPage.For(user, box, enrolling: Query<string>("setup", isRequired: false) == "1",
            notice: AccountPage.NoticeFor(Query<string>("done", isRequired: false)));
        await Send.ResultAsync(RazorView.Page(AccountPage.View, page));
    }
}
