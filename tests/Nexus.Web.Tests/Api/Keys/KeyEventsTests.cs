using System.Net;
using System.Text.Json;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

/// <summary>Creating, rolling and revoking a key emit key.* events in the same transaction, and never carry the key itself.</summary>
public sealed class KeyEventsTests(NexusApp<KeyEventsTests> app) : IClassFixture<NexusApp<KeyEventsTests>>
{
    [Fact]
    public async Task Create_roll_and_revoke_emit_key_events_without_the_key()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]);
        await org.CreateEndpointAsync(types: [EventCatalog.KeyCreated, EventCatalog.KeyRolled, EventCatalog.KeyRevoked]);
        await org.CreateEndpointAsync(Mode.Live);

        var created = await ApiAssert.OkAsync(await client.PostAsync("/api/v1/keys", NoteData.Json("""{"name":"Billing"}""")), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var rolled = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/keys/{id}/roll", NoteData.Json("""{"grace_period_minutes":60}""")), HttpStatusCode.Created);
        var successor = rolled.GetProperty("id").GetString()!;
        await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/keys/{successor}/revoke", null));

        var events = await org.EventsAsync();
        Assert.Equal([EventCatalog.KeyCreated, EventCatalog.KeyRolled, EventCatalog.KeyRevoked], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(Mode.Test, e.Mode));
        foreach (var secret in new[] { created.GetProperty("secret").GetString()!, rolled.GetProperty("secret").GetString()! })
            Assert.All(events, e => Assert.DoesNotContain(secret, e.Payload));
        var data = events.Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("data")).ToList();
        Assert.Equal(["object", "id", "name", "prefix", "kind", "scopes"], ApiAssert.Names(data[0]));
        Assert.Equal((id, successor), (data[1].GetProperty("id").GetString(), data[1].GetProperty("rolled_to").GetString()));
        Assert.Equal(successor, data[2].GetProperty("id").GetString());
        Assert.True(data[2].TryGetProperty("revoked_at", out _));
        Assert.Equal(3, (await org.DeliveriesAsync()).Count);
    }
}
