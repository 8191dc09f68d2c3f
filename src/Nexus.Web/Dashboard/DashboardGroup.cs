using FastEndpoints;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard;

/// <summary>
/// The HTML dashboard: cookie authentication (membership re-checked on every request),
/// antiforgery on every state change, the org's two-factor requirement (<see cref="TwoFactorGate"/>), one value per
/// one-value form field (<see cref="RepeatedFieldCheck"/>), and kept out of the API documents.
/// </summary>
public sealed class DashboardGroup : Group
{
    public DashboardGroup() => Configure("", ep =>
    {
        ep.AuthSchemes(DashboardAuth.Scheme);
        ep.PreProcessor<AntiforgeryCheck>(Order.Before);
        ep.PreProcessor<TwoFactorGate>(Order.Before);
        ep.PreProcessor<RepeatedFieldCheck>(Order.Before);
        ep.Description(b => b.ExcludeFromDescription());
    });
}
