using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.TwoFactor.Enable;

public sealed class CodeForm
{
    public string? Code { get; set; }
}

/// <summary>
/// Turns two-factor authentication on once a code from the app proves it holds the secret being set
/// up, and answers with ten recovery codes, shown this once (only their hashes are kept).
/// </summary>
public sealed class Endpoint(IDocumentSession session, SecretBox box, TimeProvider clock) : Endpoint<CodeForm>
{
    public override void Configure()
    {
        Post("/account/2fa/enable");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld().ModeFree());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CodeForm form, CancellationToken ct)
    {
        var id = HttpContext.Member().User.Id;
        await session.LockRowAsync<User>(id, ct);
        var user = await session.LoadAsync<User>(id, ct) ?? HttpContext.Member().User;
        if (user.TwoFactorEnabled || user.PendingTotpSecret is null)
        {
            // Already on (a second tab), or never started: the page shows where things stand.
            await Send.RedirectAsync(AccountPage.Path + "#two-factor");
            return;
        }

        var code = new string((form.Code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        var step = TotpCodes.IsWellFormed(code) ? new TotpCodes(clock).Verify(box.Decrypt(user.PendingTotpSecret), code, user.TotpLastStep) : null;
        if (step is null)
        {
            var errors = new FormErrors();
            errors.Add("enable_code", code.Length == 0 ? CodeCheck.Empty
                : TotpCodes.IsWellFormed(code) ? CodeCheck.WrongMessage : "Enter the 6 digits your authenticator app shows.");
            await Send.ResultAsync(RazorView.Page(AccountPage.View, AccountPage.For(user, box, errors, enrolling: true), StatusCodes.Status422UnprocessableEntity));
            return;
        }

        var codes = RecoveryCodes.New();
        user.TotpSecret = user.PendingTotpSecret;
        user.PendingTotpSecret = null;
        user.TotpLastStep = step.Value;
        user.TwoFactorEnabledAt = clock.GetUtcNow();
        user.RecoveryCodeHashes = codes.Select(RecoveryCodes.Hash).ToList();
        session.Store(user);
        await AccountChanges.AuditAsync(session, user, HttpContext.Actor(), AuditActions.TwoFactorEnabled,
            [new AuditChange("two_factor", "off", "on")], clock, ct);
        await session.SaveChangesAsync(ct);
        HttpContext.RefreshMember(user);

        // The one response that holds the recovery codes: no cache may keep it.
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.ResultAsync(RazorView.Page(AccountPage.View, AccountPage.For(user, box, newCodes: codes,
            notice: "Two-factor authentication is on. Save your recovery codes now.")));
    }
}
