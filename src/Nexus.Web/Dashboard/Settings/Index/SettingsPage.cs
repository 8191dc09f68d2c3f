using Nexus.Shared.Accounts;
using Nexus.Shared.Workers;

namespace Nexus.Web.Dashboard.Settings.Index;

public sealed record MemberRow(string Email, Role Role, DateTimeOffset Since, bool IsYou);

public sealed record SettingsPage(
    Organization Org,
    PlanLimits Limits,
    IReadOnlyList<MemberRow> Members,
    IReadOnlyList<WorkerHeartbeat> Workers,
    DateTimeOffset Now,
    bool CanChangePlan);
