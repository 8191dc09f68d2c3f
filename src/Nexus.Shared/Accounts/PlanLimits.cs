namespace Nexus.Shared.Accounts;

/// <summary>What one plan allows per organization and mode.</summary>
public sealed record PlanLimits(int PerMinute, int PerDay);

/// <summary>
/// What each plan allows (DESIGN.md, "Plans"): Free 10 requests a minute and 100 a day, Pro 100 and
/// 10,000, unless the deployment sets its own (<c>Nexus:Plans:Free:PerMinute</c>, <c>…:PerDay</c>,
/// and the same for Pro), e.g. to sell other tiers or to load-test with limits nothing reaches. The
/// app registers one as a singleton, read from its configuration at startup, so each host (a
/// test's too) has its own.
/// </summary>
public sealed class PlanCatalog(PlanLimits free, PlanLimits pro)
{
    public static readonly PlanCatalog Default = new(new(10, 100), new(100, 10_000));

    public PlanLimits Free { get; } = free;
    public PlanLimits Pro { get; } = pro;

    public PlanLimits For(Plan plan) => plan == Plan.Pro ? Pro : Free;

    /// <summary>The defaults, with each limit the settings give replacing its default.</summary>
    public static PlanCatalog FromSettings(Func<string, int?> setting) => new(
        new(setting("Nexus:Plans:Free:PerMinute") ?? Default.Free.PerMinute, setting("Nexus:Plans:Free:PerDay") ?? Default.Free.PerDay),
        new(setting("Nexus:Plans:Pro:PerMinute") ?? Default.Pro.PerMinute, setting("Nexus:Plans:Pro:PerDay") ?? Default.Pro.PerDay));
}
