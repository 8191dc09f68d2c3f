using Nexus.Web.Dashboard.Accounts.Login;
using Nexus.Web.Dashboard.Accounts.TwoFactor;

namespace Nexus.Web.Dashboard;

public static class DashboardSetup
{
    /// <summary>Services the dashboard's endpoints need beyond those of the whole app.</summary>
    public static IServiceCollection AddNexusDashboard(this IServiceCollection services) =>
        services.AddSingleton<UnknownEmailLockout>()
            .AddSingleton<PendingLogins>()
            .AddSingleton<SecondFactor>();
}
