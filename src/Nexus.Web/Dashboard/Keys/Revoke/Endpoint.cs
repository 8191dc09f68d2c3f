using Nexus.Shared.Common;
using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Keys.Table;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Revoke;

/// <summary>
/// Revokes a key of the member's own org and answers with the refreshed table. Another org's key
/// is a 404, exactly like a key that does not exist.
/// </summary>
public sealed class Endpoint(IDocumentSession session, KeyManager keys, ApiKeyCache cache, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/keys/{id}/revoke");
        Group<DashboardGroup>();
        Definition.PreProcessor<KeyManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var orgId = HttpContext.Member().Org.Id;
        var result = await keys.RevokeAsync(orgId, null, Route<string>("id")!, HttpContext.Actor(), ct);
        if (result.Problem?.Code == Refusal.ResourceMissing)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        // Revoking twice is harmless here: the table simply shows the key revoked.
        // After the save: evicting first would let a concurrent request cache the still-active key again.
        if (result.Key is { } key) cache.Evict(key.KeyHash);

        // The table of the revoked key's mode: the one the button was in.
        var mode = result.Key?.Mode ?? DashboardMode.Of(HttpContext);
        await Send.ResultAsync(RazorView.Fragment(KeyTable.View, await KeyTable.LoadAsync(session, orgId, mode, clock, canManage: true, ct)));
    }
}
