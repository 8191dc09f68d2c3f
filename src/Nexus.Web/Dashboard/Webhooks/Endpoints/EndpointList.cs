using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Webhooks.Endpoints;

/// <summary>An org's endpoints in one mode, as the endpoints panel shows them: enabled first, newest first.</summary>
public sealed record EndpointList(IReadOnlyList<WebhookEndpoint> Endpoints, Mode Mode, DateTimeOffset Now, bool CanManage, bool CanReveal)
{
    public const string View = "~/Dashboard/Webhooks/Endpoints/_Endpoints.cshtml";

    public string Q => "mode=" + Mode.ToWire();

    public static async Task<EndpointList> LoadAsync(IQuerySession session, DashboardMember member, Mode mode, TimeProvider clock, CancellationToken ct)
    {
        var orgId = member.Org.Id;
        var endpoints = await session.Query<WebhookEndpoint>()
            .Where(e => e.OrgId == orgId && e.Mode == mode && !e.Deleted)
            .OrderByDescending(e => e.CreatedAt).ToListAsync(ct);
        return new EndpointList(endpoints.OrderByDescending(e => e.Enabled).ToList(), mode, clock.GetUtcNow(),
            member.CanManageWebhooks(), member.CanRevealSecrets());
    }
}
