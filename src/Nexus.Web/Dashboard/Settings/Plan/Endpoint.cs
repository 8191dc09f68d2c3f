using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.Plan;

/// <summary>The plan form as posted.</summary>
public sealed class PlanForm
{
    /// <summary><c>free</c> or <c>pro</c>.</summary>
    public string? Plan { get; set; }
}

/// <summary>
/// Switches the org between Free and Pro (billing is out of scope). Owners and admins only. The
/// change is audited and announced with NOTIFY, so every web node applies the new limits from the
/// next request.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<PlanForm>
{
    public override void Configure()
    {
        Post("/settings/plan");
        Group<DashboardGroup>();
        Definition.PreProcessor<OrgAdminsOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(PlanForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (!Enum.TryParse<Nexus.Shared.Accounts.Plan>(form.Plan, ignoreCase: true, out var plan) || !Enum.IsDefined(plan) || form.Plan!.Any(char.IsDigit))
        {
            await Send.ResultAsync(Results.Text("Choose the free or the pro plan.", "text/plain; charset=utf-8", statusCode: 400));
            return;
        }

        var before = member.Org.Plan;
        if (plan != before)
        {
            session.Patch<Organization>(member.Org.Id).Set(o => o.Plan, plan);
            OrgChanges.Record(session, member, HttpContext.Actor(), AuditActions.OrgPlanChanged,
                new AuditChange("plan", before.ToString().ToLowerInvariant(), plan.ToString().ToLowerInvariant()), clock);
            await session.SaveChangesAsync(ct);
        }
        await Send.RedirectAsync("/settings");
    }
}
