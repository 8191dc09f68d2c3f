using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.WebhookEndpoints;

namespace Nexus.Web.Api.Events;

public static class EventApi
{
    /// <summary>The caller's event, or 404 (another org's, the other mode's and a missing one look alike).</summary>
    public static async Task<WebhookEvent> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct)
    {
        WebhookApi.RequireWellFormed(id, WebhookEvent.IdPrefix, "event");
        var evt = await session.LoadAsync<WebhookEvent>(id, ct);
        return evt is not null && evt.OrgId == orgId && evt.Mode == mode ? evt : throw WebhookApi.Missing(id, "event");
    }
}
