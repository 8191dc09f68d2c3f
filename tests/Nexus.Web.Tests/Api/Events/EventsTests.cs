using System.Net;
using System.Text.Json;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Events;

/// <summary>Custom events: what is stored and queued, what is refused, and reading them back.</summary>
public sealed class EventsTests(NexusApp<EventsTests> app) : IClassFixture<NexusApp<EventsTests>>
{
    [Fact]
    public async Task A_custom_event_is_stored_with_its_exact_payload_and_queued_for_each_subscribed_endpoint()
    {
        var (org, client) = await SetupAsync();
        var (all, _) = await org.CreateEndpointAsync();
        var (invoices, _) = await org.CreateEndpointAsync(types: ["custom.invoice.paid"]);
        await org.CreateEndpointAsync(types: [EventCatalog.NoteCreated]);

        var response = await client.PostAsync("/api/v1/events", NoteData.Json("""{"type":"custom.invoice.paid","data":{ "invoice" : "inv_1", "amount": 4200 }}"""));

        var created = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("event", created.GetProperty("object").GetString());
        Assert.Equal(4200, created.GetProperty("data").GetProperty("amount").GetInt32());
        Assert.Equal(ApiAssert.RequestId(response), created.GetProperty("request_id").GetString());
        Assert.Equal(2, created.GetProperty("endpoint_count").GetInt32());

        var evt = Assert.Single(await org.EventsAsync());
        Assert.Equal(id, evt.Id);
        using var payload = JsonDocument.Parse(evt.Payload);
        Assert.Equal(["id", "type", "created_at", "mode", "data"], ApiAssert.Names(payload.RootElement));
        Assert.Equal("test", payload.RootElement.GetProperty("mode").GetString());
        // Compact, whatever spacing the client sent: every delivery sends these bytes.
        Assert.EndsWith("""
            "data":{"invoice":"inv_1","amount":4200}}
            """, evt.Payload);
        var deliveries = await org.DeliveriesAsync();
        Assert.Equal(new[] { all.Id, invoices.Id }.Order(), deliveries.Select(d => d.EndpointId).Order());
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Pending, id), (d.Status, d.EventId)));
    }

    [Theory]
    [InlineData("note.exploded")]
    [InlineData("custom.")]
    [InlineData("custom.Upper")]
    [InlineData("invoice.paid")]
    [InlineData("custom.with space")]
    public async Task An_unknown_type_is_event_type_unknown_and_stores_nothing(string type)
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();

        var response = await client.PostAsync("/api/v1/events", NoteData.Json($$"""{"type":"{{type}}","data":{} }"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "event_type_unknown", "type");
        Assert.Empty(await org.EventsAsync());
        Assert.Empty(await org.DeliveriesAsync());
    }

    [Theory]
    [InlineData("""{"type":"custom.a"}""", "parameter_missing", "data")]
    [InlineData("""{"type":"custom.a","data":null}""", "parameter_missing", "data")]
    [InlineData("""{"type":"custom.a","data":[1,2]}""", "parameter_invalid", "data")]
    [InlineData("""{"type":"custom.a","data":"text"}""", "parameter_invalid", "data")]
    [InlineData("""{"data":{} }""", "parameter_missing", "type")]
    [InlineData("""{"type":"custom.a","data":{},"mode":"live"}""", "parameter_unknown", "mode")]
    public async Task A_bad_body_is_refused_and_stores_nothing(string body, string code, string param)
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync("/api/v1/events", NoteData.Json(body));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Empty(await org.EventsAsync());
    }

    /// <summary>
    /// Unlike a customer's fields, an event's data is kept as the JSON text it came in (and delivered
    /// as exactly that), so an escaped U+0000 in it is stored without PostgreSQL ever seeing the
    /// character: it is accepted, and reads back as sent.
    /// </summary>
    [Fact]
    public async Task An_escaped_nul_in_data_is_kept_as_sent()
    {
        var (org, client) = await SetupAsync();

        var created = await ApiAssert.OkAsync(await client.PostAsync("/api/v1/events",
            NoteData.Json("""{"type":"custom.a","data":{"n\u0000te":"a\u0000b","list":[{"deep":"\u0000"}]}}""")), HttpStatusCode.Created);

        var read = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/events/{created.GetProperty("id").GetString()}"));
        var data = read.GetProperty("data");
        Assert.Equal("a\0b", data.GetProperty("n\0te").GetString());
        Assert.Equal("\0", data.GetProperty("list")[0].GetProperty("deep").GetString());
        Assert.Contains("""data":{"n\u0000te":"a\u0000b","list":[{"deep":"\u0000"}]}""", Assert.Single(await org.EventsAsync()).Payload);
    }

    /// <summary>Valid JSON syntax, but no text: it got System.Text.Json's own words ("incomplete UTF-16 JSON text"), or "must be a string".</summary>
    [Theory]
    [InlineData("/api/v1/events", """{"type":"custom.a","data":{"k":"\ud800"}}""", null)]
    [InlineData("/api/v1/events", """{"type":"custom.\udc00","data":{}}""", "type")]
    public async Task Half_a_surrogate_pair_is_body_invalid_json_saying_so(string path, string body, string? param)
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync(path, NoteData.Json(body));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "body_invalid_json", param);
        Assert.Contains("surrogate pair", error.GetProperty("message").GetString());
        Assert.Empty(await org.EventsAsync());
    }

    [Fact]
    public async Task A_payload_over_64_kb_is_413_and_stores_nothing_while_one_just_under_is_accepted()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();

        var tooLarge = await client.PostAsync("/api/v1/events", NoteData.Json($$"""{"type":"custom.big","data":{"text":"{{new string('x', 64 * 1024)}}"} }"""));
        await ApiAssert.ErrorAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "event_payload_too_large", "data");
        Assert.Empty(await org.EventsAsync());
        Assert.Empty(await org.DeliveriesAsync());

        var fits = await client.PostAsync("/api/v1/events", NoteData.Json($$"""{"type":"custom.big","data":{"text":"{{new string('x', 63 * 1024)}}"} }"""));
        await ApiAssert.OkAsync(fits, HttpStatusCode.Created);
        Assert.Single(await org.DeliveriesAsync());
    }

    [Fact]
    public async Task Get_shows_the_data_and_how_the_deliveries_stand()
    {
        var (org, client) = await SetupAsync();
        var (_, evt, _) = await WebhookData.SeedDeliveryAsync(org, Mode.Test);
        await org.CreateEndpointAsync();
        await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/events/{evt.Id}/replay", null));

        var shown = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/events/{evt.Id}"));

        Assert.True(shown.GetProperty("data").GetProperty("seeded").GetBoolean());
        Assert.Equal("custom.seed", shown.GetProperty("type").GetString());
        var counts = shown.GetProperty("deliveries");
        Assert.Equal((2, 0, 1), (counts.GetProperty("pending").GetInt32(), counts.GetProperty("succeeded").GetInt32(), counts.GetProperty("failed").GetInt32()));
    }

    /// <summary>
    /// The body may nest 32 levels; the list nests the event's data three deeper than the request did.
    /// The list was a 500 (a cut-off 200 on a longer page) while the event alone read back fine.
    /// </summary>
    [Fact]
    public async Task Data_nested_as_deep_as_a_request_may_go_reads_back_in_every_response()
    {
        var (_, client) = await SetupAsync();
        var depth = 0;
        string deepest = "";
        for (var levels = 28; levels <= 40; levels++)
        {
            var data = string.Concat(Enumerable.Repeat("""{"a":""", levels)) + "1" + new string('}', levels);
            var response = await client.PostAsync("/api/v1/events", NoteData.Json($$"""{"type":"custom.deep","data":{{data}}}"""));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Contains("nested more than 32 levels", await response.Content.ReadAsStringAsync());
                break;
            }
            (depth, deepest) = (levels, (await ApiAssert.OkAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }
        Assert.InRange(depth, 30, 31);

        foreach (var path in new[] { $"/api/v1/events/{deepest}", "/api/v1/events?type=custom.deep", "/api/v1/events?limit=100" })
        {
            var body = await ApiAssert.OkAsync(await client.GetAsync(path));
            Assert.Contains(deepest, body.GetRawText());
        }
    }

    [Fact]
    public async Task The_list_filters_by_type_and_time_and_pages_with_a_cursor()
    {
        var (org, client) = await SetupAsync();
        var ids = new List<string>();
        foreach (var type in new[] { "custom.a", "custom.b", "custom.a" })
            ids.Add((await ApiAssert.OkAsync(await client.PostAsync("/api/v1/events", NoteData.Json($$"""{"type":"{{type}}","data":{} }""")), HttpStatusCode.Created))
                .GetProperty("id").GetString()!);

        var onlyA = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?type=custom.a"));
        var page = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?limit=1"));
        var next = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/events?limit=5&starting_after={page.GetProperty("next_cursor").GetString()}"));
        var none = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?created_lt=2000-01-01"));

        Assert.Equal([ids[2], ids[0]], Ids(onlyA));
        Assert.Equal([ids[2]], Ids(page));
        Assert.Equal([ids[1], ids[0]], Ids(next));
        Assert.Empty(Ids(none));
        var bogus = await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/events?type=bogus"), HttpStatusCode.BadRequest, "parameter_invalid", "type");
        Assert.Contains("GET /api/v1/event-types", bogus.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Another_orgs_or_modes_event_is_404()
    {
        var (org, client) = await SetupAsync();
        var other = await app.CreateOrgAsync("Other", Plan.Pro);
        var (_, foreign, _) = await WebhookData.SeedDeliveryAsync(other, Mode.Test);
        var (_, live, _) = await WebhookData.SeedDeliveryAsync(org, Mode.Live);

        foreach (var id in new[] { foreign.Id, live.Id })
        {
            await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/events/{id}"), HttpStatusCode.NotFound, "resource_missing", "id");
            await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/events/{id}/replay", null), HttpStatusCode.NotFound, "resource_missing", "id");
        }
        Assert.Single(await other.DeliveriesAsync());
    }

    private static List<string> Ids(JsonElement list) => list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        return (org, await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.WriteEvents, KeyScopes.WriteWebhooks]));
    }
}
