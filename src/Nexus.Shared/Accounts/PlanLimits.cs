namespace Nexus.Shared.Accounts;

/// <summary>What each plan allows per organization and mode (DESIGN.md, "Plans").</summary>
public sealed record PlanLimits(int PerMinute, int PerDay)
{
    public static PlanLimits Free { get; private set; } = new(10, 100);
    public static PlanLimits Pro { get; private set; } = new(100, 10_000);

    public static PlanLimits For(Plan plan) => plan == Plan.Pro ? Pro : Free;

    /// <summary>
    /// A deployment may set its own plan limits (<c>Nexus:Plans:Free:PerMinute</c>, <c>…:PerDay</c>,
    /// and the same for Pro), e.g. to sell other tiers or to load-test with limits nothing reaches.
    /// They hold for the whole process, so they are read once at startup; unset values keep the defaults.
    /// </summary>
    public static void Configure(Func<string, int?> setting)
    {
        Free = new(setting("Nexus:Plans:Free:PerMinute") ?? Free.PerMinute, setting("Nexus:Plans:Free:PerDay") ?? Free.PerDay);
        Pro = new(setting("Nexus:Plans:Pro:PerMinute") ?? Pro.PerMinute, setting("Nexus:Plans:Pro:PerDay") ?? Pro.PerDay);
    }
}
