namespace Nexus.Shared.Accounts;

/// <summary>What each plan allows per organization and mode (DESIGN.md, "Plans").</summary>
public sealed record PlanLimits(int PerMinute, int PerDay)
{
    public static readonly PlanLimits Free = new(10, 100);
    public static readonly PlanLimits Pro = new(100, 10_000);

    public static PlanLimits For(Plan plan) => plan == Plan.Pro ? Pro : Free;
}
