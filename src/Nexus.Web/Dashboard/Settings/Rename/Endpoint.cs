using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Accounts.Signup;
using Nexus.Web.Dashboard.Settings.Index;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Settings.Rename;

public sealed class RenameForm
{
    public string? Name { get; set; }
}

/// <summary>
/// Renames the org (owners and admins), with the signup form's rule: trimmed, 1–80 characters. The
/// name is read with the membership on every dashboard request, so it shows at once everywhere;
/// no cache holds it.
/// </summary>
public sealed class Endpoint(IDocumentSession session, PlanCatalog plans, TimeProvider clock) : Endpoint<RenameForm>
{
    public override void Configure()
    {
        Post("/settings/name");
        Group<DashboardGroup>();
        Definition.PreProcessor<OrgAdminsOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RenameForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        var name = (form.Name ?? "").Trim();
        var problem = SignupRules.OrgNameProblem(name);
        if (problem is not null)
        {
            // Keep what was typed (cut short: a huge post is not echoed back whole).
            var typed = (form.Name ?? "")[..Math.Min((form.Name ?? "").Length, 2 * SignupRules.MaxOrgNameLength)];
            await Send.ResultAsync(RazorView.Page(SettingsPage.View,
                await SettingsPage.LoadAsync(session, member, plans, clock, ct, new RenameAttempt(typed, problem)), StatusCodes.Status422UnprocessableEntity));
            return;
        }

        if (name != member.Org.Name)
        {
            session.Patch<Organization>(member.Org.Id).Set(o => o.Name, name);
            OrgChanges.Record(session, member, HttpContext.Actor(), AuditActions.OrgRenamed, new AuditChange("name", member.Org.Name, name), clock);
            await session.SaveChangesAsync(ct);
        }
        await Send.RedirectAsync("/settings?renamed=1");
    }
}
