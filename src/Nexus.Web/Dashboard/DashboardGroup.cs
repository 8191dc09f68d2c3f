using FastEndpoints;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard;

/// <summary>
/// The HTML dashboard: cookie authentication (membership re-checked on every request),
/// antiforgery on every state change, and kept out of the API documents.
/// </summary>
public sealed class DashboardGroup : Group
{
    public DashboardGroup() => Configure("", ep =>
    {
        ep.AuthSchemes(DashboardAuth.Scheme);
        ep.PreProcessor<AntiforgeryCheck>(Order.Before);
        ep.Description(b => b.ExcludeFromDescription());
    });
}
