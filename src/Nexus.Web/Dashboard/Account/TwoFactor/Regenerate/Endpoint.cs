using FastEndpoints;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.TwoFactor.Enable;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;
using Codes = Nexus.Shared.Accounts.RecoveryCodes;

namespace Nexus.Web.Dashboard.Account.TwoFactor.Regenerate;

/// <summary>
/// Replaces every recovery code with ten new ones, shown once. Like turning two-factor off, it asks
/// for a code rather than the password (see the Disable endpoint): new recovery codes are as good as the
/// authenticator, so only someone holding it should get them.
/// </summary>
public sealed class Endpoint(IDocumentSession session, SecondFactor secondFactor, SecretBox box, TimeProvider clock) : Endpoint<CodeForm>
{
    public override void Configure()
    {
        Post("/account/2fa/recovery-codes");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CodeForm form, CancellationToken ct)
    {
        var (user, answer) = await CurrentCode.CheckAsync(HttpContext, session, secondFactor, box, form.Code, "regenerate_code", ct);
        if (user is null)
        {
            await Send.ResultAsync(answer!);
            return;
        }
        var codes = Codes.New();
        user.RecoveryCodeHashes = codes.Select(Codes.Hash).ToList();
        await AccountChanges.AuditAsync(session, user, HttpContext.Actor(), AuditActions.RecoveryCodesRegenerated, [], clock, ct);
        await session.SaveChangesAsync(ct);
        HttpContext.RefreshMember(user);

        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.ResultAsync(RazorView.Page(AccountPage.View, AccountPage.For(user, box, newCodes: codes,
            notice: "New recovery codes made; the old ones no longer work. Save these now.")));
    }
}
