using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;
using Marten;

namespace Nexus.Web.Tests.Api.Events;

/// <summary>Replaying an event to one endpoint or to every subscribed one, and the event type catalog.</summary>
public sealed class ReplayTests(NexusApp<ReplayTests> app) : IClassFixture<NexusApp<ReplayTests>>
{
    [Fact]
    public async Task Replay_without_a_body_queues_one_delivery_per_enabled_subscribed_endpoint()
    {
        var (org, client) = await SetupAsync();
        var (seeded, evt, _) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        var (later, _) = await org.CreateEndpointAsync(types: ["custom.seed"]);
        await org.CreateEndpointAsync(types: [EventCatalog.NoteCreated]);
        await org.CreateEndpointAsync(enabled: false);

        var replayed = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", null));

        var queued = replayed.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(new[] { seeded.Id, later.Id }.Order(), queued.Select(d => d.GetProperty("endpoint_id").GetString()).Order());
        Assert.All(queued, d => Assert.Equal(("replay", "pending", evt.Id), (d.GetProperty("trigger").GetString(), d.GetProperty("status").GetString(), d.GetProperty("event_id").GetString())));
        Assert.Equal(3, (await org.DeliveriesAsync()).Count);
        await using var session = app.Store.QuerySession();
        Assert.Single(await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.EventReplayed).ToListAsync());
    }

    [Fact]
    public async Task Replay_to_one_endpoint_queues_only_that_one()
    {
        var (org, client) = await SetupAsync();
        var (_, evt, _) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        var (target, _) = await org.CreateEndpointAsync(types: [EventCatalog.NoteCreated]);

        var replayed = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", NoteData.Json($$"""{"endpoint_id":"{{target.Id}}"}""")));

        Assert.Equal(target.Id, Assert.Single(replayed.GetProperty("data").EnumerateArray()).GetProperty("endpoint_id").GetString());
    }

    [Fact]
    public async Task Replay_to_another_orgs_endpoint_is_404_and_to_a_disabled_one_409_queueing_nothing()
    {
        var (org, client) = await SetupAsync();
        var (_, evt, _) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        var other = await app.CreateOrgAsync("Other", Plan.Pro);
        var (foreign, _) = await other.CreateEndpointAsync();
        var (disabled, _) = await org.CreateEndpointAsync(enabled: false);

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", NoteData.Json($$"""{"endpoint_id":"{{foreign.Id}}"}""")),
            HttpStatusCode.NotFound, "resource_missing", "endpoint_id");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", NoteData.Json($$"""{"endpoint_id":"{{disabled.Id}}"}""")),
            HttpStatusCode.Conflict, "endpoint_disabled", "endpoint_id");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", NoteData.Json("""{"endpoint_id":"nope"}""")),
            HttpStatusCode.BadRequest, "parameter_invalid", "endpoint_id");

        Assert.Single(await org.DeliveriesAsync());
        Assert.Empty(await other.DeliveriesAsync());
    }

    [Fact]
    public async Task The_event_type_catalog_lists_every_type_with_an_example_payload_of_that_type()
    {
        var (_, client) = await SetupAsync();

        var catalog = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/event-types"));

        var types = catalog.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(EventCatalog.All.Select(t => t.Name), types.Select(t => t.GetProperty("name").GetString()));
        foreach (var type in types)
        {
            var example = type.GetProperty("example");
            Assert.Equal(type.GetProperty("name").GetString(), example.GetProperty("type").GetString());
            string[] envelope = type.GetProperty("name").GetString()!.EndsWith(".updated", StringComparison.Ordinal)
                ? ["id", "type", "created_at", "mode", "data", "previous_attributes"]
                : ["id", "type", "created_at", "mode", "data"];
            Assert.Equal(envelope, ApiAssert.Names(example));
            Assert.False(string.IsNullOrWhiteSpace(type.GetProperty("description").GetString()));
        }
    }

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        return (org, await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.WriteWebhooks, KeyScopes.ReadEvents]));
    }
}
