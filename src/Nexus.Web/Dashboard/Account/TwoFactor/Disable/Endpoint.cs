using FastEndpoints;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.TwoFactor.Enable;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Account.TwoFactor.Disable;

/// <summary>
/// Turns two-factor authentication off. It asks for a code, not the password: the threat here is
/// someone using a session that is not theirs (an unlocked laptop, a stolen cookie), who may well know
/// or have phished the password but does not hold the authenticator. A recovery code also works, for
/// someone whose phone is gone and who wants to set up a new one.
/// </summary>
public sealed class Endpoint(IDocumentSession session, SecondFactor secondFactor, SecretBox box, TimeProvider clock) : Endpoint<CodeForm>
{
    public override void Configure()
    {
        Post("/account/2fa/disable");
        Group<DashboardGroup>();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CodeForm form, CancellationToken ct)
    {
        var (user, answer) = await CurrentCode.CheckAsync(HttpContext, session, secondFactor, box, form.Code, "disable_code", ct);
        if (user is null)
        {
            await Send.ResultAsync(answer!);
            return;
        }
        user.TotpSecret = null;
        user.TwoFactorEnabledAt = null;
        user.RecoveryCodeHashes = [];
        // TotpLastStep stays: a code seen before cannot be replayed even if the same secret came back.
        await AccountChanges.AuditAsync(session, user, HttpContext.Actor(), AuditActions.TwoFactorDisabled,
            [new AuditChange("two_factor", "on", "off")], clock, ct);
        await session.SaveChangesAsync(ct);
        await Send.RedirectAsync(AccountPage.Path + "?done=2fa-off#two-factor");
    }
}
