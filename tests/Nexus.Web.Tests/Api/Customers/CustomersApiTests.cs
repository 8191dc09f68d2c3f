using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Customers;

public sealed class CustomersApiTests(NexusApp<CustomersApiTests> app) : IClassFixture<NexusApp<CustomersApiTests>>
{
    private const string Path = "/api/v1/customers";

    private static async Task<int> CountAsync(TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<Customer>().CountAsync(c => c.OrgId == org.Org.Id);
    }

    [Fact]
    public async Task Create_retrieve_update_and_delete_a_customer()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());

        var created = await client.PostJsonAsync(Path, """{"name":"Jenny Rosen","email":"jenny@example.com","metadata":{"crm_id":"8841","tier":"silver"}}""");
        var customer = await ApiAssert.OkAsync(created, HttpStatusCode.Created);
        var id = customer.GetProperty("id").GetString()!;
        Assert.StartsWith("cus_", id);
        Assert.Equal("customer", customer.GetProperty("object").GetString());
        Assert.Equal("test", customer.GetProperty("mode").GetString());
        Assert.Equal($"/api/v1/customers/{id}", created.Headers.Location?.ToString());

        var fetched = await ApiAssert.OkAsync(await client.GetAsync($"{Path}/{id}"));
        Assert.Equal("Jenny Rosen", fetched.GetProperty("name").GetString());
        Assert.Equal("8841", fetched.GetProperty("metadata").GetProperty("crm_id").GetString());

        // Metadata merges: set tier, remove crm_id, keep nothing else changed; name stays.
        var updated = await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", """{"email":"jenny.rosen@example.com","metadata":{"tier":"gold","crm_id":""}}"""));
        Assert.Equal("Jenny Rosen", updated.GetProperty("name").GetString());
        Assert.Equal("jenny.rosen@example.com", updated.GetProperty("email").GetString());
        Assert.Equal("""{"tier":"gold"}""", updated.GetProperty("metadata").GetRawText());

        var cleared = await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", """{"name":""}"""));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("name").ValueKind);

        var deleted = await ApiAssert.OkAsync(await client.DeleteAsync($"{Path}/{id}"));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        await ApiAssert.ErrorAsync(await client.GetAsync($"{Path}/{id}"), HttpStatusCode.NotFound, "resource_missing", "id");
        await ApiAssert.ErrorAsync(await client.DeleteAsync($"{Path}/{id}"), HttpStatusCode.NotFound, "resource_missing", "id");
    }

    [Fact]
    public async Task Every_write_emits_its_customer_event_with_the_customer_as_data()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var id = (await ApiAssert.OkAsync(await client.PostJsonAsync(Path, new { name = "Jenny" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var update = await client.PostJsonAsync($"{Path}/{id}", new { email = "jenny@example.com" });
        await ApiAssert.OkAsync(update);
        await ApiAssert.OkAsync(await client.DeleteAsync($"{Path}/{id}"));

        await using var session = app.Store.QuerySession();
        var events = (await session.Query<WebhookEvent>().Where(e => e.OrgId == org.Org.Id).ToListAsync()).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["customer.created", "customer.updated", "customer.deleted"], events.Select(e => e.Type));
        var updated = JsonDocument.Parse(events[1].Payload).RootElement.GetProperty("data");
        Assert.Equal((id, "jenny@example.com"), (updated.GetProperty("id").GetString(), updated.GetProperty("email").GetString()));
        Assert.Equal(ApiAssert.RequestId(update), events[1].RequestId);
        Assert.True(JsonDocument.Parse(events[2].Payload).RootElement.GetProperty("data").GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task An_update_event_carries_the_earlier_value_of_each_field_that_changed_and_of_each_metadata_key()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var created = await ApiAssert.OkAsync(await client.PostJsonAsync(Path,
            """{"name":"Jenny Rosen","email":"jenny@example.com","metadata":{"crm_id":"8841","tier":"silver","region":"eu"}}"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}",
            """{"name":"Jenny Rosen","email":"jenny.rosen@example.com","metadata":{"tier":"gold","crm_id":"","plan":"pro"}}"""));

        var list = await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?type=customer.updated"));
        var evt = Assert.Single(list.GetProperty("data").EnumerateArray());
        var previous = evt.GetProperty("previous_attributes");
        Assert.Equal(["email", "metadata", "updated_at"], ApiAssert.Names(previous));
        Assert.Equal("jenny@example.com", previous.GetProperty("email").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["crm_id"] = "8841", ["tier"] = "silver", ["plan"] = null },
            previous.GetProperty("metadata").Deserialize<Dictionary<string, string?>>());
        Assert.Equal(created.GetProperty("updated_at").GetString(), previous.GetProperty("updated_at").GetString());

        var fetched = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/events/{evt.GetProperty("id").GetString()}"));
        Assert.Equal(previous.GetRawText(), fetched.GetProperty("previous_attributes").GetRawText());
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<WebhookEvent>(evt.GetProperty("id").GetString()!);
        Assert.Equal(previous.GetRawText(), JsonDocument.Parse(stored!.Payload).RootElement.GetProperty("previous_attributes").GetRawText());

        var createdEvent = Assert.Single((await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?type=customer.created"))).GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, createdEvent.GetProperty("previous_attributes").ValueKind);
    }

    [Fact]
    public async Task An_update_that_leaves_the_metadata_alone_names_only_what_it_changed()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var id = (await ApiAssert.OkAsync(await client.PostJsonAsync(Path, """{"name":"Jenny","metadata":{"z":"1","a":"2","m":"3"}}"""), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

        await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", """{"name":"Jenny Rosen"}"""));
        await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", """{"metadata":{"a":"2"}}"""));

        var events = (await ApiAssert.OkAsync(await client.GetAsync("/api/v1/events?type=customer.updated"))).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        // Newest first. Setting a key to the value it has changes nothing but updated_at (which a
        // request in the same millisecond would leave as it was, so it is not asserted here).
        Assert.Empty(ApiAssert.Names(events[0].GetProperty("previous_attributes")).Except(["updated_at"]));
        Assert.Equal(["name"], ApiAssert.Names(events[1].GetProperty("previous_attributes")).Except(["updated_at"]));
    }

    [Fact]
    public async Task A_customer_whose_metadata_is_too_large_for_a_payload_is_still_written_and_its_events_leave_the_metadata_out()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        // 50 values of 500 characters each, within the metadata limits; JSON writes U+0001 as six bytes
        // (\u0001), so one copy of the metadata is about 150 KB against the 64 KB payload cap.
        var metadata = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", _ => new string('\u0001', 500));

        var created = await client.PostJsonAsync(Path, new { name = "Jenny", metadata });
        var id = (await ApiAssert.OkAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var updated = await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", new { name = "Jenny Rosen" }));
        Assert.Equal(metadata, updated.GetProperty("metadata").Deserialize<Dictionary<string, string>>());

        await using var session = app.Store.QuerySession();
        var events = (await session.Query<WebhookEvent>().Where(e => e.OrgId == org.Org.Id).ToListAsync()).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["customer.created", "customer.updated"], events.Select(e => e.Type));
        foreach (var evt in events)
        {
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(evt.Payload) <= EventOutbox.MaxPayloadBytes);
            var data = JsonDocument.Parse(evt.Payload).RootElement.GetProperty("data");
            Assert.Equal(JsonValueKind.Null, data.GetProperty("metadata").ValueKind);
            Assert.True(data.GetProperty("metadata_omitted").GetBoolean());
            Assert.Equal(id, data.GetProperty("id").GetString());
        }
        Assert.Equal("Jenny Rosen", JsonDocument.Parse(events[1].Payload).RootElement.GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_list_pages_newest_first_and_filters_by_email_case_insensitively()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var ids = new List<string>();
        foreach (var email in new[] { "a@example.com", "b@example.com", "A@Example.com", "c@example.com" })
            ids.Add((await ApiAssert.OkAsync(await client.PostJsonAsync(Path, new { email }), HttpStatusCode.Created)).GetProperty("id").GetString()!);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?limit=3" + (cursor is null ? "" : $"&starting_after={cursor}")));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            Assert.Equal(cursor is not null, page.GetProperty("has_more").GetBoolean());
        } while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        var byEmail = await ApiAssert.OkAsync(await client.GetAsync($"{Path}?email=a@EXAMPLE.com"));
        Assert.Equal([ids[2], ids[0]], byEmail.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Customers_are_separate_per_org_and_mode()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var other = await app.CreateOrgAsync("Other", Plan.Pro);
        var test = await org.ClientWithKeyAsync(app.CreateClient());
        var live = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live);
        var foreign = await other.ClientWithKeyAsync(app.CreateClient());
        var id = (await ApiAssert.OkAsync(await test.PostJsonAsync(Path, new { name = "Test only" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        foreach (var client in new[] { live, foreign })
        {
            await ApiAssert.ErrorAsync(await client.GetAsync($"{Path}/{id}"), HttpStatusCode.NotFound, "resource_missing", "id");
            await ApiAssert.ErrorAsync(await client.PostJsonAsync($"{Path}/{id}", new { name = "Stolen" }), HttpStatusCode.NotFound, "resource_missing", "id");
            await ApiAssert.ErrorAsync(await client.DeleteAsync($"{Path}/{id}"), HttpStatusCode.NotFound, "resource_missing", "id");
            Assert.Empty((await ApiAssert.OkAsync(await client.GetAsync(Path))).GetProperty("data").EnumerateArray());
        }
        Assert.Equal("Test only", (await ApiAssert.OkAsync(await test.GetAsync($"{Path}/{id}"))).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"email":"not-an-email"}""", "email")]
    [InlineData("""{"email":"Jenny <jenny@example.com>"}""", "email")]
    [InlineData("""{"email":"jenny@localhost"}""", "email")]
    [InlineData("""{"email":"jen ny@example.com"}""", "email")]
    [InlineData("""{"name":12}""", "name")]
    [InlineData("""{"metadata":{"k":1}}""", "metadata.k")]
    [InlineData("""{"metadata":["a"]}""", "metadata")]
    public async Task Invalid_fields_are_400_and_store_nothing(string body, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        await ApiAssert.ErrorAsync(await client.PostJsonAsync(Path, body), HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Equal(0, await CountAsync(org));
    }

    [Theory]
    [InlineData("""{"name":"Jenny\nRosen"}""", "name")]
    [InlineData("""{"name":"Jenny\tRosen"}""", "name")]
    [InlineData("""{"name":"Jenny \u001b[31mRosen"}""", "name")]
    [InlineData("""{"name":"Jenny\u0085Rosen"}""", "name")]
    [InlineData("""{"metadata":{"crm\nid":"1"}}""", "metadata")]
    public async Task A_name_or_metadata_key_with_a_control_character_is_400_on_create_and_on_update(string body, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());

        var refused = await ApiAssert.ErrorAsync(await client.PostJsonAsync(Path, body), HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Contains("must not contain line breaks, tabs or other control characters", refused.GetProperty("message").GetString());
        Assert.Equal(0, await CountAsync(org));

        var id = (await ApiAssert.OkAsync(await client.PostJsonAsync(Path, new { name = "Jenny Rosen" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ApiAssert.ErrorAsync(await client.PostJsonAsync($"{Path}/{id}", body), HttpStatusCode.BadRequest, "parameter_invalid", param);
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<Customer>(id);
        Assert.Equal("Jenny Rosen", stored!.Name);
        Assert.Empty(stored.Metadata);
    }

    [Fact]
    public async Task Metadata_over_its_limits_is_400_on_create_and_on_update_after_merging()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var client = await org.ClientWithKeyAsync(app.CreateClient());
        var fifty = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => "v");
        var fiftyOne = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");

        await ApiAssert.ErrorAsync(await client.PostJsonAsync(Path, new { metadata = fiftyOne }), HttpStatusCode.BadRequest, "parameter_invalid", "metadata");
        await ApiAssert.ErrorAsync(await client.PostJsonAsync(Path, new { metadata = new Dictionary<string, string> { [new string('k', 41)] = "v" } }), HttpStatusCode.BadRequest, "parameter_invalid", "metadata");
        await ApiAssert.ErrorAsync(await client.PostJsonAsync(Path, new { metadata = new Dictionary<string, string> { ["k"] = new string('v', 501) } }), HttpStatusCode.BadRequest, "parameter_invalid", "metadata");
        Assert.Equal(0, await CountAsync(org));

        var id = (await ApiAssert.OkAsync(await client.PostJsonAsync(Path, new { metadata = fifty }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ApiAssert.ErrorAsync(await client.PostJsonAsync($"{Path}/{id}", new { metadata = new Dictionary<string, string> { ["one_more"] = "v" } }), HttpStatusCode.BadRequest, "parameter_invalid", "metadata");
        // Removing one while adding one stays at 50.
        await ApiAssert.OkAsync(await client.PostJsonAsync($"{Path}/{id}", new { metadata = new Dictionary<string, string> { ["one_more"] = "v", ["k0"] = "" } }));
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<Customer>(id);
        Assert.Equal(50, stored!.Metadata.Count);
        Assert.False(stored.Metadata.ContainsKey("k0"));
    }

    [Fact]
    public async Task Reads_need_read_customers_and_writes_need_write_customers()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var reader = await org.ClientWithKeyAsync(app.CreateClient(), scopes: ["read:customers"]);
        var notesOnly = await org.ClientWithKeyAsync(app.CreateClient(), scopes: ["write:notes"]);
        await ApiAssert.OkAsync(await reader.GetAsync(Path));
        await ApiAssert.ErrorAsync(await reader.PostJsonAsync(Path, new { name = "x" }), HttpStatusCode.Forbidden, "permission_denied");
        await ApiAssert.ErrorAsync(await notesOnly.GetAsync(Path), HttpStatusCode.Forbidden, "permission_denied");
        Assert.Equal(0, await CountAsync(org));
    }
}
