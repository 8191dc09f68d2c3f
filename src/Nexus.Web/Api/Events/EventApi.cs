using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Api.Events;

public static class EventApi
{
    /// <summary>The caller's event, or 404 (see <see cref="ApiObjects"/>).</summary>
    public static Task<WebhookEvent> LoadAsync(IQuerySession session, string orgId, Mode mode, string id, CancellationToken ct) =>
        ApiObjects.LoadAsync<WebhookEvent>(session, orgId, mode, id, WebhookEvent.IdPrefix, ct);
}
