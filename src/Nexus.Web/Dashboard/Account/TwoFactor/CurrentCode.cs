using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Dashboard.Accounts.TwoFactor;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.TwoFactor;

/// <summary>
/// The gate of the account actions that need a current code (turning two-factor off, new recovery
/// codes): the user, locked and checked, once the code is accepted; otherwise the answer to send
/// instead (back to the page when two-factor is off, or the page with the form field's error).
/// </summary>
public static class CurrentCode
{
    public static async Task<(User? User, IResult? Answer)> CheckAsync(HttpContext ctx, IDocumentSession session,
        SecondFactor secondFactor, SecretBox box, string? code, string field, CancellationToken ct)
    {
        var member = ctx.Member();
        if (!member.User.TwoFactorEnabled) return (null, Results.Redirect(AccountPage.Path + "#two-factor"));
        var check = await secondFactor.CheckAsync(session, member.User.Id, code, ctx.Actor(), ct);
        if (check.Outcome == CodeOutcome.Accepted) return (check.User!, null);
        var errors = new FormErrors();
        errors.Add(field, check.Problem(code)!);
        return (null, RazorView.Page(AccountPage.View, AccountPage.For(member.User, box, errors), check.Status));
    }
}
