using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.TwoFactor.Enable;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.TwoFactor.Disable;

/// <summary>
/// Turns two-factor authentication off. It asks for a code, not the password: the threat here is
/// someone using a session that is not theirs (an unlocked laptop, a stolen cookie), who may well know
/// or have phished the password but does not hold the authenticator. A recovery code also works, for
/// someone whose phone is gone and who wants to set up a new one. Refused while any of the user's orgs
/// requires two-factor authentication.
/// </summary>
public sealed class Endpoint(IDocumentSession session, SecondFactor secondFactor, SecretBox box, TimeProvider clock) : Endpoint<CodeForm>
{
    public override void Configure()
    {
        Post("/account/2fa/disable");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CodeForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (member.User.TwoFactorEnabled)
        {
            // Refused before the code is checked: no code is spent on a change that cannot happen. Checked
            // under the orgs' two-factor locks, which an Owner requiring it takes too; the save releases them.
            var orgIds = await RequiringOrgs.OrgIdsAsync(session, member.User.Id, ct);
            await RequiringOrgs.LockAsync(session, orgIds, ct);
            if (await RequiringOrgs.NamesAsync(session, orgIds, ct) is { Count: > 0 } requiring)
            {
                var errors = new FormErrors();
                errors.Add("disable_code", TwoFactorRequirement.CannotDisable(requiring));
                await Send.ResultAsync(RazorView.Page(AccountPage.View, AccountPage.For(member.User, box, errors), StatusCodes.Status409Conflict));
                return;
            }
        }
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
