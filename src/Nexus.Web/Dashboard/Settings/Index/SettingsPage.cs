using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Workers;
using Nexus.Web.Dashboard.Team.Members;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.Index;

/// <summary>The rename form after a refused submit: what was typed and why it was refused.</summary>
public sealed record RenameAttempt(string Name, string Problem);

public sealed record SettingsPage(
    Organization Org,
    PlanLimits Limits,
    MembersPanel Members,
    IReadOnlyList<WorkerHeartbeat> Workers,
    DateTimeOffset Now,
    bool CanChangePlan,
    RenameAttempt? Rename = null)
{
    public const string View = "~/Dashboard/Settings/Index/Index.cshtml";
    private const int WorkersShown = 20;

    public static async Task<SettingsPage> LoadAsync(IQuerySession session, DashboardMember member, PlanCatalog plans, TimeProvider clock, CancellationToken ct,
        RenameAttempt? rename = null)
    {
        var members = await MembersPanel.LoadAsync(session, member, clock, ct);
        var workers = await session.Query<WorkerHeartbeat>()
            .OrderByDescending(h => h.LastSeenAt)
            .Take(WorkersShown)
            .ToListAsync(ct);
        return new SettingsPage(member.Org, plans.For(member.Org.Plan), members, workers, clock.GetUtcNow(), member.CanChangeOrg(), rename);
    }
}
