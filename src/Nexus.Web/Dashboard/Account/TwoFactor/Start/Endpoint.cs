using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Account.TwoFactor.Start;

/// <summary>
/// Starts setting up an authenticator: a new secret, sealed, kept aside until a code from the app
/// confirms it. Nothing changes for login until then; starting again replaces the secret.
/// </summary>
public sealed class Endpoint(IDocumentSession session, SecretBox box) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/account/2fa/start");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var user = HttpContext.Member().User;
        if (!user.TwoFactorEnabled)
        {
            session.Patch<User>(user.Id).Set(u => u.PendingTotpSecret, box.Encrypt(TotpCodes.NewSecret()));
            await session.SaveChangesAsync(ct);
        }
        await Send.RedirectAsync(AccountPage.Path + "?setup=1#two-factor");
    }
}
