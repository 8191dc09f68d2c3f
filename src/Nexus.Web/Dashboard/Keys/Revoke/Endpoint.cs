using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Keys.Table;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Revoke;

/// <summary>
/// Revokes a key of the member's own org and answers with the refreshed table. Another org's key
/// is a 404, exactly like a key that does not exist.
/// </summary>
public sealed class Endpoint(IDocumentSession session, ApiKeyCache cache, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/keys/{id}/revoke");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var orgId = HttpContext.Member().Org.Id;
        var key = await session.LoadAsync<ApiKey>(Route<string>("id")!, ct);
        if (key is null || key.OrgId != orgId)
        {
            await Send.NotFoundAsync(ct);
            return;
        }

        if (key.RevokedAt is null)
        {
            // A patch, so a concurrent "last used" write is not overwritten with stale values.
            session.Patch<ApiKey>(key.Id).Set(k => k.RevokedAt, clock.GetUtcNow());
            await session.SaveChangesAsync(ct);
        }
        // After the save: evicting first would let a concurrent request cache the still-active key again.
        cache.Evict(key.KeyHash);

        await Send.ResultAsync(RazorView.Fragment(KeyTable.View, await KeyTable.LoadAsync(session, orgId, clock, ct)));
    }
}
