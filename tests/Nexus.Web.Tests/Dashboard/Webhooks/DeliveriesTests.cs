using Nexus.Web.Dashboard.Webhooks.Deliveries;
using System.Net;
using System.Text.Json;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>The delivery side of the Webhooks page: test events, the live table, the detail, retry, replay and bulk retry.</summary>
public sealed class DeliveriesTests(NexusApp<DeliveriesTests> app) : IClassFixture<NexusApp<DeliveriesTests>>
{
    [Fact]
    public async Task Send_test_event_queues_a_test_ping_for_that_endpoint_only_in_one_transaction()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var target = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/target", "test", EventCatalog.NoteCreated);
        await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/bystander");

        var response = await client.HtmxPostAsync($"/webhooks/endpoints/{target.Id}/test?mode=test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("deliveries-changed", response.Headers.GetValues("HX-Trigger").Single());
        Assert.Contains("Test event queued", await response.Content.ReadAsStringAsync());
        var delivery = Assert.Single(await app.Store.DeliveriesOfAsync(org.Org.Id));
        Assert.Equal((target.Id, EventCatalog.TestPing, DeliveryStatus.Pending), (delivery.EndpointId, delivery.EventType, delivery.Status));
        Assert.NotNull(delivery.NextAttemptAt);
        await using var session = app.Store.QuerySession();
        var evt = (await session.LoadAsync<WebhookEvent>(delivery.EventId))!;
        using var payload = JsonDocument.Parse(evt.Payload);
        Assert.Equal(EventCatalog.TestPing, payload.RootElement.GetProperty("type").GetString());
        Assert.Equal("test", payload.RootElement.GetProperty("mode").GetString());
        Assert.Equal(target.Id, payload.RootElement.GetProperty("data").GetProperty("endpoint_id").GetString());
        var audit = Assert.Single(await session.Query<AuditEntry>()
            .Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.EndpointTestSent).ToListAsync());
        Assert.Equal((target.Id, Mode.Test, evt.RequestId), (audit.TargetId, audit.Mode, audit.RequestId));

        var table = await client.HtmxGetAsync("/webhooks/deliveries?mode=test");
        var html = await table.Content.ReadAsStringAsync();
        Assert.Contains($"data-delivery-id=\"{delivery.Id}\" data-status=\"pending\"", html);
        Assert.Contains(EventCatalog.TestPing, html);
    }

    [Fact]
    public async Task The_empty_table_says_to_add_an_endpoint_first_until_there_is_one_to_send_a_test_event_to()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var none = await (await client.HtmxGetAsync("/webhooks/deliveries?mode=test")).Content.ReadAsStringAsync();
        await client.CreatedEndpointAsync(app.Store);
        var one = await (await client.HtmxGetAsync("/webhooks/deliveries?mode=test")).Content.ReadAsStringAsync();

        Assert.Contains("No test deliveries yet", none);
        Assert.Contains("Add an endpoint first, then try its <em>Send test event</em>.", none);
        Assert.Contains("Try <em>Send test event</em> on an endpoint.", one);
        Assert.DoesNotContain("Add an endpoint first", one);
    }

    [Fact]
    public async Task A_disabled_endpoint_gets_no_test_event_and_says_why()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/enabled?mode=test", [new("enabled", "false")]);

        var response = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/test?mode=test");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("is disabled", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.Store.DeliveriesOfAsync(org.Org.Id));
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<AuditEntry>().AnyAsync(e => e.OrgId == org.Org.Id && e.Action == AuditActions.EndpointTestSent));
    }

    [Fact]
    public async Task The_table_filters_by_status_endpoint_and_type_and_the_detail_shows_every_attempt()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var first = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/first");
        var second = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/second");
        var (_, ok) = await app.Store.StoreDeliveryAsync(first, DeliveryStatus.Succeeded, attempts: WebhookPage.Attempt(200, body: "thanks"));
        var (_, failed) = await app.Store.StoreDeliveryAsync(second, DeliveryStatus.Failed, attempts:
            [WebhookPage.Attempt(500, "The receiver answered 500.", "<h1>oops</h1>"), WebhookPage.Attempt(null, "Connection refused.")]);
        var (_, retrying) = await app.Store.StoreDeliveryAsync(second, DeliveryStatus.Pending, attempts: WebhookPage.Attempt(503));

        var all = await TableAsync(client, "");
        Assert.Contains($"data-delivery-id=\"{ok.Id}\" data-status=\"succeeded\"", all);
        Assert.Contains($"data-delivery-id=\"{failed.Id}\" data-status=\"failed\"", all);
        Assert.Contains($"data-delivery-id=\"{retrying.Id}\" data-status=\"pending\"", all);
        Assert.Contains("badge-active", all);
        Assert.Contains("badge-revoked", all);
        Assert.Contains("Retrying", all);
        Assert.True(all.IndexOf(retrying.Id, StringComparison.Ordinal) < all.IndexOf(ok.Id, StringComparison.Ordinal), "newest first");

        var onlyFailed = await TableAsync(client, "&status=failed");
        Assert.Contains(failed.Id, onlyFailed);
        Assert.DoesNotContain(ok.Id, onlyFailed);
        Assert.DoesNotContain(retrying.Id, onlyFailed);
        var onlyFirst = await TableAsync(client, $"&endpoint={first.Id}");
        Assert.Contains(ok.Id, onlyFirst);
        Assert.DoesNotContain(failed.Id, onlyFirst);
        Assert.Contains("No deliveries match these filters", await TableAsync(client, "&type=key.revoked"));

        var detail = await client.HtmxGetAsync($"/webhooks/deliveries/{failed.Id}?mode=test");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var html = await detail.Content.ReadAsStringAsync();
        Assert.Contains("data-status-code=\"500\"", html);
        Assert.Contains("Connection refused.", html);
        Assert.Contains(WebUtility.HtmlEncode("<h1>oops</h1>"), html);
        Assert.Contains("x-receiver", html);
        Assert.Contains("&quot;title&quot;: &quot;Hi&quot;", html);
        Assert.Contains("Replay event", html);

        var page = await client.Http.GetStringAsync($"/webhooks?mode=test&delivery={ok.Id}");
        Assert.Contains($"id=\"delivery-panel-content\" class=\"panel mb-6\" aria-labelledby=\"delivery-title\" data-delivery-id=\"{ok.Id}\"", page);
    }

    [Fact]
    public async Task The_detail_of_an_update_shows_what_changed_field_by_field_and_key_by_key()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var endpoint = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/hooks");
        var (_, customer) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, eventType: EventCatalog.CustomerUpdated,
            payload: """{"object":"customer","id":"cus_1","name":"Jenny Rosen","email":"jenny.rosen@example.com","metadata":{"tier":"gold","region":"eu"},"updated_at":"2026-11-25T10:05:00.000Z"}""",
            previousAttributes: """{"email":"jenny@example.com","metadata":{"tier":"silver","crm_id":"8841","region":null},"updated_at":"2026-11-25T10:00:00.000Z"}""");
        var (_, note) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, eventType: EventCatalog.NoteUpdated,
            payload: """{"object":"note","id":"note_1","title":"After","content":null,"content_omitted":true}""",
            previousAttributes: """{"title":"Before","content":null,"content_omitted":true}""");
        var (_, created) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded);

        Assert.Equal(
            [
                ("email", "\"jenny@example.com\"", "\"jenny.rosen@example.com\""),
                ("metadata.tier", "\"silver\"", "\"gold\""),
                ("metadata.crm_id", "\"8841\"", "(not set)"),
                ("metadata.region", "(not set)", "\"eu\""),
            ],
            ChangeRows(await DetailAsync(client, customer.Id)));
        Assert.Equal(
            [("title", "\"Before\"", "\"After\""), ("content", "(left out: too large)", "(left out: too large)")],
            ChangeRows(await DetailAsync(client, note.Id)));
        var plain = await DetailAsync(client, created.Id);
        Assert.DoesNotContain("data-changes", plain);
        Assert.Contains("data-payload", plain);
    }

    private static async Task<string> DetailAsync(DashboardClient client, string deliveryId)
    {
        var response = await client.HtmxGetAsync($"/webhooks/deliveries/{deliveryId}?mode=test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static List<(string Field, string Before, string After)> ChangeRows(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html,
                @"<tr data-field=""[^""]*"">\s*<td[^>]*><code>(.*?)</code></td>\s*<td[^>]*><code>(.*?)</code></td>\s*<td[^>]*><code>(.*?)</code></td>")
            .Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value)))
            .ToList();

    [Fact]
    public async Task The_type_filter_offers_the_custom_types_this_org_and_mode_sent_most_recent_first_and_filters_by_them()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/hooks");
        var live = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/live", mode: "live");
        var otherClient = DashboardClient.For(app);
        await otherClient.SignUpNewAsync();
        var theirs = await otherClient.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/theirs");
        var (_, shipped) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, eventType: "custom.order.shipped");
        await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, eventType: "custom.invoice.paid");
        // Sent before the window the filter looks back over: not offered.
        await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, DateTimeOffset.UtcNow - CustomEventTypes.Window - TimeSpan.FromDays(1), eventType: "custom.long.ago");
        await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded);
        await app.Store.StoreDeliveryAsync(live, DeliveryStatus.Succeeded, eventType: "custom.live.only");
        await app.Store.StoreDeliveryAsync(theirs, DeliveryStatus.Succeeded, eventType: "custom.theirs");
        // Sent through the API, as custom events are, with no endpoint subscribed: the newest custom type.
        using var api = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [Nexus.Shared.Keys.KeyScopes.WriteEvents]);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/events", NoteData.Json("""{"type":"custom.user.signed_up","data":{}}"""))).StatusCode);

        var page = await client.Http.GetStringAsync("/webhooks?mode=test");
        var livePage = await client.Http.GetStringAsync("/webhooks?mode=live");

        Assert.Equal(["custom.user.signed_up", "custom.invoice.paid", "custom.order.shipped"], CustomOptions(page));
        Assert.Equal(["custom.live.only"], CustomOptions(livePage));
        // The catalog's types stay outside the group.
        Assert.Contains($"""<option value="{EventCatalog.NoteCreated}">""", page[..page.IndexOf("<optgroup", StringComparison.Ordinal)]);
        var filtered = await TableAsync(client, "&type=custom.order.shipped");
        Assert.Contains(shipped.Id, filtered);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(filtered, "data-delivery-id="));
        // A custom type in the URL that was never sent is still the filter's selected option.
        Assert.Contains("""<option value="custom.never.sent" selected="selected">""", await client.Http.GetStringAsync("/webhooks?mode=test&type=custom.never.sent"));
    }

    /// <summary>The options of the type filter's "Custom" group, in order (empty when there is no group).</summary>
    private static List<string> CustomOptions(string html)
    {
        var group = System.Text.RegularExpressions.Regex.Match(html, """<optgroup label="Custom">(.*?)</optgroup>""", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        return System.Text.RegularExpressions.Regex.Matches(group, """<option value="([^"]+)">""").Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public async Task The_status_filter_offers_every_badge_and_each_option_returns_exactly_the_rows_showing_it()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var (_, pending) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Pending);
        var (_, sending) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Pending, attempts: WebhookPage.Attempt(503));
        var (_, retrying) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Pending, attempts: WebhookPage.Attempt(503));
        var (_, succeeded) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, attempts: WebhookPage.Attempt(200));
        var (_, failed) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, attempts: WebhookPage.Attempt(500));
        await using (var session = app.Store.LightweightSession())
        {
            // Claimed by a worker, as the worker's claim leaves it.
            (sending.LeaseToken, sending.LeaseUntil) = (Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(1));
            session.Store(sending);
            await session.SaveChangesAsync();
        }
        var expected = new Dictionary<string, (string Id, string Badge)>
        {
            ["pending"] = (pending.Id, "Pending"), ["sending"] = (sending.Id, "Sending"), ["retrying"] = (retrying.Id, "Retrying"),
            ["succeeded"] = (succeeded.Id, "Succeeded"), ["failed"] = (failed.Id, "Failed"),
        };

        var page = await client.Http.GetStringAsync("/webhooks?mode=test");
        var options = System.Text.RegularExpressions.Regex.Matches(page, "<option value=\"([a-z]+)\" title=\"[^\"]+\">([A-Za-z]+)</option>")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(expected.ToDictionary(e => e.Key, e => e.Value.Badge), options);
        Assert.Equal(expected.Values.Select(e => e.Badge).Order(), Badges(await TableAsync(client, "")).Values.Order());

        foreach (var (value, (id, badge)) in expected)
        {
            var rows = Badges(await TableAsync(client, "&status=" + value));
            Assert.Equal(new Dictionary<string, string> { [id] = badge }, rows);
        }
        // The API's statuses are unchanged: the row still says which of the three it is.
        Assert.Contains($"data-delivery-id=\"{sending.Id}\" data-status=\"pending\"", await TableAsync(client, "&status=sending"));
    }

    [Fact]
    public async Task A_delivery_whose_lease_ran_out_is_waiting_again_not_sending()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var (_, cutOff) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Pending, attempts: WebhookPage.Attempt(503));
        var (_, neverTried) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Pending);
        await using (var session = app.Store.LightweightSession())
        {
            // Claimed by workers that died mid-attempt: the tokens are still there, the leases are over.
            (cutOff.LeaseToken, cutOff.LeaseUntil) = (Guid.NewGuid(), DateTimeOffset.UtcNow.AddSeconds(-1));
            (neverTried.LeaseToken, neverTried.LeaseUntil) = (Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-5));
            session.Store(cutOff, neverTried);
            await session.SaveChangesAsync();
        }

        Assert.Equal(new Dictionary<string, string> { [cutOff.Id] = "Retrying", [neverTried.Id] = "Pending" }, Badges(await TableAsync(client, "")));
        Assert.Empty(Badges(await TableAsync(client, "&status=sending")));
        Assert.Equal([cutOff.Id], Badges(await TableAsync(client, "&status=retrying")).Keys);
        Assert.Equal([neverTried.Id], Badges(await TableAsync(client, "&status=pending")).Keys);
    }

    /// <summary>Each row's delivery id and the text of its badge.</summary>
    private static Dictionary<string, string> Badges(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "data-delivery-id=\"(dlv_[0-9a-z]+)\"[\\s\\S]*?data-badge>([^<]+)<")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [Fact]
    public async Task Retry_makes_a_failed_delivery_due_again_and_replay_queues_a_new_one_both_audited()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var (evt, failed) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, attempts: WebhookPage.Attempt(500));

        var retry = await client.HtmxPostAsync($"/webhooks/deliveries/{failed.Id}/retry?mode=test");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Contains("Retry queued", await retry.Content.ReadAsStringAsync());
        var retried = (await app.Store.DeliveriesOfAsync(org.Org.Id)).Single(d => d.Id == failed.Id);
        Assert.Equal((DeliveryStatus.Pending, true, DeliveryTriggers.ManualRetry), (retried.Status, retried.SingleAttempt, retried.Trigger));
        Assert.True(retried.NextAttemptAt <= DateTimeOffset.UtcNow);

        var replay = await client.HtmxPostAsync($"/webhooks/events/{evt.Id}/replay?mode=test", [new("endpoint_id", endpoint.Id)]);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("Event replayed", await replay.Content.ReadAsStringAsync());
        var deliveries = await app.Store.DeliveriesOfAsync(org.Org.Id);
        Assert.Equal(2, deliveries.Count);
        var replayed = deliveries.Single(d => d.Id != failed.Id);
        Assert.Equal((evt.Id, endpoint.Id, DeliveryTriggers.Replay), (replayed.EventId, replayed.EndpointId, replayed.Trigger));

        await using var session = app.Store.QuerySession();
        var actions = await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id).Select(e => e.Action).ToListAsync();
        Assert.Contains(AuditActions.DeliveryRetried, actions);
        Assert.Contains(AuditActions.EventReplayed, actions);
    }

    [Fact]
    public async Task Retry_failed_since_retries_only_the_dead_letters_in_the_chosen_window()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var (_, recent) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, DateTimeOffset.UtcNow.AddHours(-2), attempts: WebhookPage.Attempt(500));
        var (_, old) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, DateTimeOffset.UtcNow.AddDays(-2), attempts: WebhookPage.Attempt(500));
        var (_, fine) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, attempts: WebhookPage.Attempt(200));

        Assert.Contains("name=\"since\"", await (await client.HtmxGetAsync($"/webhooks/endpoints/{endpoint.Id}/retry-failed?mode=test")).Content.ReadAsStringAsync());
        var refused = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/retry-failed?mode=test", [new("since", "forever")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        var response = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/retry-failed?mode=test", [new("since", "24h")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 failed delivery queued again", await response.Content.ReadAsStringAsync());
        var byId = (await app.Store.DeliveriesOfAsync(org.Org.Id)).ToDictionary(d => d.Id);
        Assert.Equal(DeliveryStatus.Pending, byId[recent.Id].Status);
        Assert.Equal(DeliveryStatus.Failed, byId[old.Id].Status);
        Assert.Equal(DeliveryStatus.Succeeded, byId[fine.Id].Status);
    }

    [Fact]
    public async Task The_table_pages_back_through_older_deliveries_keeping_its_filters_and_polls_the_page_it_shows()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store);
        var failed = new List<string>();
        for (var i = 0; i < 55; i++)
            failed.Add((await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, attempts: WebhookPage.Attempt(500))).Delivery.Id);
        await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Succeeded, attempts: WebhookPage.Attempt(200));
        failed = [.. failed.OrderDescending(StringComparer.Ordinal)]; // newest first: ids are time-ordered

        var newest = await TableAsync(client, "&status=failed");
        var olderQuery = $"mode=test&amp;endpoint={endpoint.Id}&amp;status=failed&amp;before={failed[49]}";

        Assert.Equal(failed[..50], DeliveryIds(newest));
        Assert.Contains("hx-get=\"/webhooks/deliveries?mode=test&amp;status=failed\"", newest);
        Assert.DoesNotContain("← Newest", newest);

        var withEndpoint = await TableAsync(client, $"&status=failed&endpoint={endpoint.Id}");
        Assert.Contains($"href=\"/webhooks?{olderQuery}\"", withEndpoint);
        var older = await TableAsync(client, $"&status=failed&endpoint={endpoint.Id}&before={failed[49]}");

        Assert.Equal(failed[50..], DeliveryIds(older));
        Assert.Contains($"hx-get=\"/webhooks/deliveries?{olderQuery}\"", older); // it polls this page, not the newest
        Assert.Contains($"href=\"/webhooks?mode=test&amp;endpoint={endpoint.Id}&amp;status=failed\"", older);
        Assert.DoesNotContain("Older deliveries", older);
        // A cursor the page cannot have made is ignored: the newest page.
        Assert.Equal(failed[..50], DeliveryIds(await TableAsync(client, "&status=failed&before=dlv_nonsense")));
        // And the whole page opens on the older page too (a shared link, a reload).
        var page = await client.Http.GetStringAsync($"/webhooks?mode=test&status=failed&before={failed[49]}");
        Assert.Equal(failed[50..], DeliveryIds(page));
    }

    private static List<string> DeliveryIds(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "data-delivery-id=\"(dlv_[0-9a-z]+)\"").Select(m => m.Groups[1].Value)];

    private static async Task<string> TableAsync(DashboardClient client, string filters)
    {
        var response = await client.HtmxGetAsync("/webhooks/deliveries?mode=test" + filters);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
