using Nexus.Shared.Accounts;
using Nexus.Shared.Workers;

namespace Nexus.Web.Dashboard.Settings.Index;

public sealed record MemberRow(string Email, Role Role, DateTimeOffset Since, bool IsYou);

public sealed record SettingsPage(
    Organization Org,
    PlanLimits Limits,
    IReadOnlyList<MemberRow> Members,
    IReadOnlyList<WorkerHeartbeat> Workers,
    DateTimeOffset Now);

/// <summary>What each plan allows (shown here; enforced by the API's rate limiter).</summary>
public sealed record PlanLimits(int PerMinute, int PerDay)
{
    public static PlanLimits For(Plan plan) => plan == Plan.Pro ? new(100, 10_000) : new(10, 100);
}
