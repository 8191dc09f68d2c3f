using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class UpdateTests(NexusApp<UpdateTests> app) : IClassFixture<NexusApp<UpdateTests>>
{
    [Fact]
    public async Task Changes_only_the_fields_sent_and_records_before_and_after()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync(name: "Server", scopes: [KeyScopes.ReadNotes, KeyScopes.WriteNotes]);

        var updated = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}",
            """{"scopes":["read:notes"],"allowed_ips":["203.0.113.0/24"],"rate_limit_per_minute":30}"""));

        Assert.Equal("Server", updated.GetProperty("name").GetString());
        Assert.Equal(["read:notes"], updated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var stored = await org.LoadKeyAsync(key.Id);
        Assert.Equal("Server", stored!.Name);
        Assert.Equal([KeyScopes.ReadNotes], stored.Scopes);
        Assert.Equal(["203.0.113.0/24"], stored.AllowedIps);
        Assert.Equal(30, stored.RateLimitPerMinute);
        var entry = Assert.Single(await org.AuditAsync());
        Assert.Equal(AuditActions.KeyUpdated, entry.Action);
        Assert.Equal(
            [("scopes", "read:notes write:notes", "read:notes"), ("allowed_ips", null, "203.0.113.0/24"), ("rate_limit_per_minute", null, "30")],
            entry.Changes.Select(c => (c.Field, c.Before, c.After)));
    }

    [Fact]
    public async Task Zero_clears_the_rate_limit_and_an_empty_list_clears_the_allowlist()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", """{"allowed_ips":["203.0.113.9"],"rate_limit_per_minute":30}"""));

        var cleared = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", """{"allowed_ips":[],"rate_limit_per_minute":0}"""));

        Assert.Empty(cleared.GetProperty("allowed_ips").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("rate_limit_per_minute").ValueKind);
        var stored = await org.LoadKeyAsync(key.Id);
        Assert.Empty(stored!.AllowedIps);
        Assert.Null(stored.RateLimitPerMinute);
    }

    [Fact]
    public async Task Nulls_and_an_empty_body_change_nothing_and_record_nothing()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync(name: "Server");
        var before = await org.SnapshotAsync();

        await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", "{}"));
        await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", """{"name":null,"scopes":null,"allowed_ips":null,"rate_limit_per_minute":null}"""));

        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [InlineData("""{"scopes":["read:everything"]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"scopes":[]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"scopes":[null]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"allowed_ips":["300.0.0.1"]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"rate_limit_per_minute":-1}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{"rate_limit_per_minute":101}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{"name":""}""", "parameter_missing", "name")]
    [InlineData("""{"name":"Server\r\nX-Injected: 1"}""", "parameter_invalid", "name")]
    [InlineData("""{"kind":"publishable"}""", "parameter_unknown", "kind")]
    [InlineData("""{"expires_at":"2030-01-01T00:00:00Z"}""", "parameter_unknown", "expires_at")]
    [InlineData("""{"key_hash":"00"}""", "parameter_unknown", "key_hash")]
    [InlineData("""{"org_id":"org_01jd4n6x9m3f8r2k7q5w0y1z3a"}""", "parameter_unknown", "org_id")]
    [InlineData("""{"id":"key_01jd4n6x9m3f8r2k7q5w0y1z3a"}""", "parameter_unknown", "id")]
    [InlineData("""{"mode":"live"}""", "parameter_unknown", "mode")]
    [InlineData("""{"total_requests":0}""", "parameter_unknown", "total_requests")]
    [InlineData("""{"revoked_at":null}""", "parameter_unknown", "revoked_at")]
    public async Task Bad_input_is_a_400_and_changes_nothing(string body, string code, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", body);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task Write_scopes_on_a_publishable_key_are_refused()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync(kind: KeyKind.Publishable);
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", """{"scopes":["read:notes","write:notes"]}""");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "scopes");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task A_revoked_key_cannot_change()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null));
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys/{key.Id}", """{"name":"Back from the dead"}""");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "key_not_active");
        Assert.Equal(before, await org.SnapshotAsync());
    }
}
