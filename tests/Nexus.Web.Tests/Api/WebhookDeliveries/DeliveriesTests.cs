using System.Net;
using System.Text.Json;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.WebhookDeliveries;

/// <summary>The delivery log, one delivery's attempts, and retrying by hand (one, or every failed one of an endpoint).</summary>
public sealed class DeliveriesTests(NexusApp<DeliveriesTests> app) : IClassFixture<NexusApp<DeliveriesTests>>
{
    [Fact]
    public async Task Get_shows_every_attempt_with_its_response()
    {
        var (org, client) = await SetupAsync();
        var (_, _, delivery) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);

        var shown = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhook-deliveries/{delivery.Id}"));

        Assert.Equal(("webhook_delivery", "failed", 1, 500), (shown.GetProperty("object").GetString(), shown.GetProperty("status").GetString(),
            shown.GetProperty("attempt_count").GetInt32(), shown.GetProperty("last_status_code").GetInt32()));
        var attempt = Assert.Single(shown.GetProperty("attempts").EnumerateArray());
        Assert.Equal(500, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal("http_status", attempt.GetProperty("error_code").GetString());
        Assert.Equal("boom", attempt.GetProperty("response_body").GetString());
        Assert.Equal("text/plain", attempt.GetProperty("response_headers").GetProperty("Content-Type").GetString());
        Assert.True(attempt.TryGetProperty("duration_ms", out _));
    }

    [Fact]
    public async Task The_log_filters_by_endpoint_event_type_and_status()
    {
        var (org, client) = await SetupAsync();
        var (endpoint, evt, failed) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        var (other, _) = await org.CreateEndpointAsync();
        await ApiAssert.OkAsync(await client.PostAsync("/api/v1/events", NoteData.Json("""{"type":"custom.other","data":{}}""")), HttpStatusCode.Created);

        Assert.Equal([failed.Id], await IdsAsync(client, "status=failed"));
        Assert.Equal(2, (await IdsAsync(client, "status=pending")).Count);
        Assert.Equal(2, (await IdsAsync(client, $"endpoint_id={endpoint.Id}")).Count);
        Assert.Single(await IdsAsync(client, $"endpoint_id={other.Id}"));
        Assert.Equal([failed.Id], await IdsAsync(client, $"event_id={evt.Id}"));
        Assert.Equal(2, (await IdsAsync(client, "event_type=custom.other")).Count);
        Assert.Empty(await IdsAsync(client, "created_gte=2999-01-01"));
        var all = await IdsAsync(client, "");
        Assert.Equal(all.Order(StringComparer.Ordinal).Reverse(), all);
        Assert.Equal(all.Skip(1), await IdsAsync(client, $"starting_after={all[0]}"));
        foreach (var bad in new[] { "status=lost", "endpoint_id=evt_01jd4n6xa0k7q5w0y1z3a9m3f8", "event_type=nope", "limit=0", "limit=101" })
            await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhook-deliveries?{bad}"), HttpStatusCode.BadRequest, "parameter_invalid", bad.Split('=')[0]);
        var unknownType = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/webhook-deliveries?event_type=nope"), HttpStatusCode.BadRequest, "parameter_invalid", "event_type");
        Assert.Contains("GET /api/v1/event-types", unknownType.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Retrying_a_failed_delivery_makes_it_due_now_for_one_more_attempt_and_is_audited()
    {
        var (org, client) = await SetupAsync();
        var (_, _, delivery) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);

        var retried = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-deliveries/{delivery.Id}/retry", null));

        Assert.Equal(("pending", "manual_retry"), (retried.GetProperty("status").GetString(), retried.GetProperty("trigger").GetString()));
        var stored = (await org.LoadDeliveryAsync(delivery.Id))!;
        Assert.Equal(DeliveryStatus.Pending, stored.Status);
        Assert.True(stored.SingleAttempt);
        Assert.InRange(stored.NextAttemptAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        await using var session = app.Store.QuerySession();
        Assert.Single(await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.DeliveryRetried).ToListAsync());
    }

    [Fact]
    public async Task Retrying_another_orgs_or_modes_delivery_is_404_and_changes_nothing()
    {
        var (org, client) = await SetupAsync();
        var other = await app.CreateOrgAsync("Other", Plan.Pro);
        var (_, _, foreign) = await WebhookData.SeedDeliveryAsync(other, Mode.Test);
        var (_, _, live) = await WebhookData.SeedDeliveryAsync(org, Mode.Live);

        foreach (var delivery in new[] { foreign, live })
        {
            await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-deliveries/{delivery.Id}/retry", null), HttpStatusCode.NotFound, "resource_missing", "id");
            await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhook-deliveries/{delivery.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
            var after = (await (delivery == foreign ? other : org).LoadDeliveryAsync(delivery.Id))!;
            Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null), (after.Status, after.NextAttemptAt));
        }
        Assert.DoesNotContain(foreign.Id, await IdsAsync(client, ""));
        await ApiAssert.ErrorAsync(await client.PostAsync("/api/v1/webhook-deliveries/dlv_nope/retry", null), HttpStatusCode.NotFound, "resource_missing", "id");
    }

    [Fact]
    public async Task A_delivery_being_attempted_or_of_a_disabled_or_deleted_endpoint_is_409_and_unchanged()
    {
        var (org, client) = await SetupAsync();
        var (_, _, leased) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        (leased.LeaseToken, leased.LeaseUntil) = (Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(5));
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(leased);
            await session.SaveChangesAsync();
        }
        var (endpoint, _, blocked) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}", NoteData.Json("""{"disabled":true}""")));
        var (deletedEndpoint, _, orphan) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        await ApiAssert.OkAsync(await client.DeleteAsync($"/api/v1/webhook-endpoints/{deletedEndpoint.Id}"));

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-deliveries/{leased.Id}/retry", null), HttpStatusCode.Conflict, "delivery_in_progress", "id");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-deliveries/{blocked.Id}/retry", null), HttpStatusCode.Conflict, "endpoint_disabled", "id");
        // The delivery exists; its endpoint does not: not a 404 about the id that was sent.
        var gone = await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-deliveries/{orphan.Id}/retry", null), HttpStatusCode.Conflict, "endpoint_deleted");
        Assert.Contains(deletedEndpoint.Id, gone.GetProperty("message").GetString());

        Assert.Equal(DeliveryStatus.Failed, (await org.LoadDeliveryAsync(leased.Id))!.Status);
        Assert.Equal(DeliveryStatus.Failed, (await org.LoadDeliveryAsync(blocked.Id))!.Status);
        Assert.Equal(DeliveryStatus.Failed, (await org.LoadDeliveryAsync(orphan.Id))!.Status);
    }

    [Fact]
    public async Task Retry_failed_makes_the_endpoints_failed_deliveries_since_a_time_due_again()
    {
        var (org, client) = await SetupAsync();
        var (endpoint, _, failed) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/retry-failed", NoteData.Json("{}")),
            HttpStatusCode.BadRequest, "parameter_missing", "since");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/retry-failed", NoteData.Json("""{"since":"last week"}""")),
            HttpStatusCode.BadRequest, "parameter_invalid", "since");
        var later = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/retry-failed", NoteData.Json("""{"since":"2999-01-01"}""")));
        Assert.Empty(later.GetProperty("data").EnumerateArray());
        Assert.Equal(DeliveryStatus.Failed, (await org.LoadDeliveryAsync(failed.Id))!.Status);

        var retried = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/retry-failed",
            NoteData.Json($$"""{"since":"{{DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}}"}""")));

        Assert.Equal(failed.Id, Assert.Single(retried.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(retried.GetProperty("has_more").GetBoolean());
        Assert.Equal(DeliveryStatus.Pending, (await org.LoadDeliveryAsync(failed.Id))!.Status);
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        var list = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhook-deliveries?{query}"));
        return list.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
    }

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        return (org, await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.WriteWebhooks, KeyScopes.WriteEvents]));
    }
}
