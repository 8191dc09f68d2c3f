using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.WebhookEndpoints;

/// <summary>Creating, reading, changing and deleting webhook endpoints, and the inputs that must store nothing.</summary>
public sealed class EndpointsTests(NexusApp<EndpointsTests> app) : IClassFixture<NexusApp<EndpointsTests>>
{
    [Fact]
    public async Task Create_shows_the_secret_once_and_no_read_ever_shows_it_again()
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json(
            """{"url":"http://127.0.0.1:9/hooks","description":"Orders","enabled_events":["note.created","custom.invoice.paid"]}"""));

        var created = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(24, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal("webhook_endpoint", created.GetProperty("object").GetString());
        Assert.Equal("enabled", created.GetProperty("status").GetString());
        Assert.Equal("test", created.GetProperty("mode").GetString());
        Assert.Equal(["note.created", "custom.invoice.paid"], created.GetProperty("enabled_events").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith($"/api/v1/webhook-endpoints/{id}", response.Headers.Location?.ToString());

        var get = await (await client.GetAsync($"/api/v1/webhook-endpoints/{id}")).Content.ReadAsStringAsync();
        var list = await (await client.GetAsync("/api/v1/webhook-endpoints")).Content.ReadAsStringAsync();
        foreach (var text in new[] { get, list })
        {
            Assert.Contains(id, text);
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain("\"secret\"", text);
        }
        var stored = await org.LoadEndpointAsync(id);
        Assert.DoesNotContain(secret["whsec_".Length..], stored!.SecretCiphertext);
    }

    [Fact]
    public async Task Enabled_events_default_to_every_type_shown_as_a_star()
    {
        var (_, client) = await SetupAsync();

        var created = await ApiAssert.OkAsync(await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json("""{"url":"http://127.0.0.1:9/a"}""")), HttpStatusCode.Created);

        Assert.Equal(["*"], created.GetProperty("enabled_events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("retry_schedule").ValueKind);
    }

    public static TheoryData<string, string> BadUrls() => new()
    {
        { "not a url", "url_invalid" },
        { "ftp://example.com/hooks", "url_invalid" },
        { "/relative/path", "url_invalid" },
        { "http://user:secret@example.com/hooks", "url_invalid" },
        { "https://example.com/hooks#fragment", "url_invalid" },
        // Read as the URL inside, and stored with the spaces.
        { " https://example.com/hooks", "url_invalid" },
        { "https://example.com/hooks\n", "url_invalid" },
        { "http://169.254.169.254/latest/meta-data/", "url_blocked" },
        { "http://10.0.0.1/hooks", "url_blocked" },
        { "http://192.168.1.10:8080/hooks", "url_blocked" },
        { "http://100.64.0.1/", "url_blocked" },
        { "http://[::ffff:10.0.0.1]/", "url_blocked" },
        { "http://[fd00::1]/", "url_blocked" },
        { "http://0.0.0.0/", "url_blocked" },
        { "http://[::1]/hooks", "url_blocked" }, // the tests allow 127.0.0.0/8 only (so localhost, like 127.0.0.1, is accepted)
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task An_unusable_or_blocked_url_is_refused_and_stores_nothing(string url, string code)
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json($$"""{"url":{{System.Text.Json.JsonSerializer.Serialize(url)}}}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, "url");
        Assert.Empty(await org.EndpointsAsync());
        Assert.Empty(await AuditAsync(org));
    }

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task Changing_the_url_to_an_unusable_or_blocked_one_changes_nothing(string url, string code)
    {
        var (org, client) = await SetupAsync();
        var (endpoint, _) = await org.CreateEndpointAsync();

        var response = await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}", NoteData.Json($$"""{"url":{{System.Text.Json.JsonSerializer.Serialize(url)}},"description":"changed"}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, "url");
        var after = await org.LoadEndpointAsync(endpoint.Id);
        Assert.Equal(endpoint.Url, after!.Url);
        Assert.Equal(endpoint.Description, after.Description);
    }

    [Theory]
    [InlineData("Orders\nand refunds")]
    [InlineData("Orders\tEU")]
    [InlineData("Orders\u007f")]
    public async Task A_description_with_a_control_character_is_refused_on_create_and_on_update(string description)
    {
        var (org, client) = await SetupAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(description);

        var refused = await ApiAssert.ErrorAsync(await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json($$"""{"url":"http://127.0.0.1:9/a","description":{{json}}}""")),
            HttpStatusCode.BadRequest, "parameter_invalid", "description");
        Assert.Contains("line breaks, tabs or other control characters", refused.GetProperty("message").GetString());
        Assert.Empty(await org.EndpointsAsync());

        var (endpoint, _) = await org.CreateEndpointAsync();
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}", NoteData.Json($$"""{"description":{{json}}}""")),
            HttpStatusCode.BadRequest, "parameter_invalid", "description");
        Assert.Equal(endpoint.Description, (await org.LoadEndpointAsync(endpoint.Id))!.Description);
    }

    [Fact]
    public async Task A_missing_url_is_parameter_missing()
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json("""{"description":"no url"}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_missing", "url");
        Assert.Empty(await org.EndpointsAsync());
    }

    [Theory]
    [InlineData("""["note.exploded"]""")]
    [InlineData("""["note.created","custom."]""")]
    [InlineData("""["Custom.Upper"]""")]
    public async Task Unknown_event_types_are_refused_and_store_nothing(string types)
    {
        var (org, client) = await SetupAsync();

        var response = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json($$"""{"url":"http://127.0.0.1:9/a","enabled_events":{{types}}}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "event_type_unknown", "enabled_events");
        Assert.Empty(await org.EndpointsAsync());
    }

    [Fact]
    public async Task The_21st_endpoint_of_a_mode_is_refused_while_the_other_mode_still_has_room()
    {
        var (org, client) = await SetupAsync();
        for (var i = 0; i < WebhookEndpoint.MaxPerOrgAndMode; i++)
            await ApiAssert.OkAsync(await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json($$"""{"url":"http://127.0.0.1:9/{{i}}"}""")), HttpStatusCode.Created);

        var refused = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json("""{"url":"http://127.0.0.1:9/21"}"""));

        await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "endpoint_limit_reached");
        Assert.Equal(WebhookEndpoint.MaxPerOrgAndMode, (await org.EndpointsAsync()).Count);
        using var live = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live, [KeyScopes.WriteWebhooks]);
        await ApiAssert.OkAsync(await live.PostAsync("/api/v1/webhook-endpoints", NoteData.Json("""{"url":"http://127.0.0.1:9/live"}""")), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_changes_only_the_fields_given_and_is_audited()
    {
        var (org, client) = await SetupAsync();
        var (endpoint, _) = await org.CreateEndpointAsync(types: [EventCatalog.NoteCreated]);

        var updated = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}",
            NoteData.Json("""{"enabled_events":["*"],"disabled":true,"retry_schedule":[30,60]}""")));

        Assert.Equal(["*"], updated.GetProperty("enabled_events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.Equal([30, 60], updated.GetProperty("retry_schedule").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(endpoint.Url, updated.GetProperty("url").GetString());
        Assert.Equal("seeded", updated.GetProperty("description").GetString());
        Assert.Contains(await AuditAsync(org), e => e.Action == AuditActions.EndpointUpdated && e.TargetId == endpoint.Id);

        var reset = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}",
            NoteData.Json("""{"retry_schedule":null,"disabled":false}""")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reset.GetProperty("retry_schedule").ValueKind);
        Assert.Equal("enabled", reset.GetProperty("status").GetString());
        Assert.Null((await org.LoadEndpointAsync(endpoint.Id))!.RetryScheduleSeconds);
    }

    [Theory]
    [InlineData("\"often\"", "retry_schedule", "retry_schedule must be an array of whole numbers.")]
    [InlineData("{}", "retry_schedule", "retry_schedule must be an array of whole numbers.")]
    [InlineData("[0]", "retry_schedule", "Each retry delay is between 1 and 86400 seconds.")]
    [InlineData("[60,86401]", "retry_schedule", "Each retry delay is between 1 and 86400 seconds.")]
    [InlineData("[1,2,3,4,5,6,7,8,9,10,11]", "retry_schedule", "A retry schedule has at most 10 delays.")]
    [InlineData("[1.5]", "retry_schedule[0]", "retry_schedule[0] must be a whole number.")]
    [InlineData("[60,\"5m\"]", "retry_schedule[1]", "retry_schedule[1] must be a whole number.")]
    [InlineData("[60,99999999999]", "retry_schedule[1]", "retry_schedule[1] must be a whole number.")]
    public async Task A_bad_retry_schedule_is_refused_in_the_same_words_on_create_and_update_and_changes_nothing(string schedule, string param, string message)
    {
        var (org, client) = await SetupAsync();
        var (endpoint, _) = await org.CreateEndpointAsync();

        var update = await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}", NoteData.Json($$"""{"retry_schedule":{{schedule}}}"""));
        var create = await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json($$"""{"url":"http://127.0.0.1:9/hooks","retry_schedule":{{schedule}}}"""));

        foreach (var response in new[] { update, create })
        {
            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
        Assert.Null((await org.LoadEndpointAsync(endpoint.Id))!.RetryScheduleSeconds);
        Assert.Equal([endpoint.Id], (await org.EndpointsAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task A_deleted_endpoint_is_gone_from_reads_and_lists()
    {
        var (org, client) = await SetupAsync();
        var (endpoint, _) = await org.CreateEndpointAsync();

        var deleted = await ApiAssert.OkAsync(await client.DeleteAsync($"/api/v1/webhook-endpoints/{endpoint.Id}"));

        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhook-endpoints/{endpoint.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
        var list = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/webhook-endpoints"));
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        await ApiAssert.ErrorAsync(await client.DeleteAsync($"/api/v1/webhook-endpoints/{endpoint.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_newest_first_and_filters_by_creation_time()
    {
        var (org, client) = await SetupAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await org.CreateEndpointAsync()).Endpoint.Id);

        var first = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/webhook-endpoints?limit=2"));
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhook-endpoints?limit=2&starting_after={cursor}"));
        var future = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/webhook-endpoints?created_gte=2999-01-01"));

        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.False(second.GetProperty("has_more").GetBoolean());
        var listed = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(e => e.GetProperty("id").GetString());
        Assert.Equal(Enumerable.Reverse(ids), listed);
        Assert.Empty(future.GetProperty("data").EnumerateArray());
        await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/webhook-endpoints?created_gte=yesterday"), HttpStatusCode.BadRequest, "parameter_invalid", "created_gte");
        await ApiAssert.ErrorAsync(await client.GetAsync("/api/v1/webhook-endpoints?starting_after=key_01jd4n6x9m3f8r2k7q5w0y1z3a"), HttpStatusCode.BadRequest, "parameter_invalid", "starting_after");
    }

    [Fact]
    public async Task A_test_key_never_sees_a_live_endpoint()
    {
        var (org, client) = await SetupAsync();
        var (live, _) = await org.CreateEndpointAsync(Mode.Live);

        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhook-endpoints/{live.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{live.Id}", NoteData.Json("""{"disabled":true}""")),
            HttpStatusCode.NotFound, "resource_missing", "id");
        var list = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/webhook-endpoints"));
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.True((await org.LoadEndpointAsync(live.Id))!.Enabled);
    }

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync()
    {
        // Pro: the tests here make more requests than the free plan's 10 a minute.
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.WriteWebhooks]);
        return (org, client);
    }

    private async Task<List<AuditEntry>> AuditAsync(TestOrg org)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id).ToListAsync()).ToList();
    }
}
