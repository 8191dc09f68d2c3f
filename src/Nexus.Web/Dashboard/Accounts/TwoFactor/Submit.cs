using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Accounts.Login;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>
/// Checks the code (or a recovery code) for the login the pending cookie carries and, when right,
/// finishes the login exactly as a password-only login would: same org choice, invitation and return URL.
/// </summary>
public sealed class Submit(IDocumentSession session, PendingLogins pendingLogins, SecondFactor secondFactor, TimeProvider clock) : Endpoint<TwoFactorForm>
{
    public override void Configure()
    {
        Post(Endpoint.Path);
        Group<DashboardGroup>();
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(TwoFactorForm form, CancellationToken ct)
    {
        var pending = pendingLogins.Read(HttpContext);
        // A password change, logout or "Start again" since the password step voids it.
        var user = pending is null ? null : await session.LoadAsync<User>(pending.UserId, ct);
        if (pending is null || user is null || !pending.IsCurrentFor(user) || !user.TwoFactorEnabled)
        {
            PendingLogins.Clear(HttpContext);
            await Send.RedirectAsync("/login");
            return;
        }

        var check = await secondFactor.CheckAsync(session, user.Id, form.Code, HttpContext.ActorFor(user), ct);
        if (check.Outcome != CodeOutcome.Accepted)
        {
            await Send.ResultAsync(RazorView.Page(TwoFactorPage.View, new TwoFactorPage(check.Problem(form.Code)), check.Status));
            return;
        }
        await session.SaveChangesAsync(ct);
        PendingLogins.Clear(HttpContext);
        await Send.ResultAsync(await LoginCompletion.FinishAsync(HttpContext, session, check.User!, pending.ReturnUrl, clock, ct));
    }
}
