using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Account;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.TwoFactor;

/// <summary>The "Require two-factor authentication" form as posted.</summary>
public sealed class RequireTwoFactorForm
{
    /// <summary><c>on</c> or <c>off</c>.</summary>
    public string? Required { get; set; }
}

/// <summary>
/// Requires two-factor authentication of every member, or stops requiring it (Owners only, see
/// <see cref="TeamRules"/>). Turning it on needs the Owner's own two-factor on, so no Owner can lock
/// themselves out of Settings. The org is read with the membership on every dashboard request, so the
/// requirement applies from the next one; the NOTIFY keeps every node's org cache in step all the same.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<RequireTwoFactorForm>
{
    public const string Path = "/settings/two-factor";

    public override void Configure()
    {
        Post(Path);
        Group<DashboardGroup>();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RequireTwoFactorForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (!TeamRules.CanRequireTwoFactor(member.Membership.Role))
        {
            await Send.ResultAsync(Text(TeamRules.RequireTwoFactorOwnersOnly, StatusCodes.Status403Forbidden));
            return;
        }
        bool? on = form.Required?.Trim().ToLowerInvariant() switch { "on" => true, "off" => false, _ => null };
        if (on is null)
        {
            await Send.ResultAsync(Text("Choose on or off.", StatusCodes.Status400BadRequest));
            return;
        }
        // Under the org's two-factor lock, which turning two-factor off also takes (RequiringOrgs.LockAsync):
        // a member's "off" is either done before this or sees the requirement, and the Owner's own two-factor
        // and the org are read as they stand once any such change committed.
        await RequiringOrgs.LockAsync(session, [member.Org.Id], ct);
        var owner = await session.LoadAsync<User>(member.User.Id, ct) ?? member.User;
        var org = await session.LoadAsync<Organization>(member.Org.Id, ct) ?? member.Org;
        if (TeamRules.RequireTwoFactorProblem(member.Membership.Role, owner.TwoFactorEnabled, on.Value) is { } problem)
        {
            await Send.ResultAsync(Text(problem, StatusCodes.Status409Conflict));
            return;
        }

        if (on.Value != org.RequireTwoFactor)
        {
            session.Patch<Organization>(org.Id).Set(o => o.RequireTwoFactor, on.Value);
            OrgChanges.Record(session, member, HttpContext.Actor(), on.Value ? AuditActions.OrgTwoFactorRequired : AuditActions.OrgTwoFactorNotRequired,
                new AuditChange("require_two_factor", org.RequireTwoFactor ? "on" : "off", on.Value ? "on" : "off"), clock);
            await session.SaveChangesAsync(ct);
        }
        await Send.RedirectAsync("/settings#require-two-factor");
    }

    private static IResult Text(string message, int status) => Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
}
