using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class CreateTests(NexusApp<CreateTests> app) : IClassFixture<NexusApp<CreateTests>>
{
    private static readonly string[] KeyFields =
    [
        "id", "object", "name", "kind", "mode", "prefix", "scopes", "status", "allowed_ips", "rate_limit_per_minute", "expires_at",
        "grace_ends_at", "rolled_to", "rolled_from", "created_at", "last_used_at", "total_requests", "revoked_at",
    ];

    [Theory]
    [InlineData(Mode.Test, "nx_test_")]
    [InlineData(Mode.Live, "nx_live_")]
    public async Task Creates_a_secret_key_in_the_callers_mode_with_default_scopes(Mode mode, string header)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient(), mode);

        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"  Server  "}"""), HttpStatusCode.Created);

        Assert.Equal([.. KeyFields, "secret"], ApiAssert.Names(created));
        Assert.Equal("api_key", created.GetProperty("object").GetString());
        Assert.Equal("Server", created.GetProperty("name").GetString());
        Assert.Equal("secret", created.GetProperty("kind").GetString());
        Assert.Equal(mode.ToWire(), created.GetProperty("mode").GetString());
        Assert.StartsWith(header, created.GetProperty("secret").GetString());
        Assert.Equal(KeyScopes.DefaultFor(KeyKind.Secret), created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var stored = await org.LoadKeyAsync(created.GetProperty("id").GetString()!);
        Assert.NotNull(stored);
        Assert.Equal(mode, stored.Mode);
        Assert.Equal(org.Org.Id, stored.OrgId);
        Assert.DoesNotContain(created.GetProperty("secret").GetString()!, System.Text.Json.JsonSerializer.Serialize(stored));
    }

    [Fact]
    public async Task Creates_a_publishable_key_with_read_scopes_by_default()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());

        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"Browser","kind":"publishable"}"""), HttpStatusCode.Created);

        Assert.Equal("publishable", created.GetProperty("kind").GetString());
        Assert.StartsWith("nx_pk_test_", created.GetProperty("secret").GetString());
        Assert.Equal(KeyScopes.DefaultFor(KeyKind.Publishable), created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.All(created.GetProperty("scopes").EnumerateArray(), s => Assert.StartsWith("read:", s.GetString()));
    }

    [Fact]
    public async Task Stores_scopes_allowlist_limit_and_expiry_in_canonical_form()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var expires = DateTimeOffset.UtcNow.AddDays(30);

        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys",
            $$"""{"name":"Ops","scopes":["read:notes","read:notes","read:logs"],"allowed_ips":["203.0.113.7","198.51.100.0/24","2001:db8::/32"],"rate_limit_per_minute":50,"expires_at":"{{expires:O}}"}"""),
            HttpStatusCode.Created);

        Assert.Equal(["read:notes", "read:logs"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["203.0.113.7/32", "198.51.100.0/24", "2001:db8::/32"], created.GetProperty("allowed_ips").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(50, created.GetProperty("rate_limit_per_minute").GetInt32());
        // Shown to the millisecond, stored whole.
        Assert.Equal(Timestamps.Format(expires), created.GetProperty("expires_at").GetString());
        var stored = await org.LoadKeyAsync(created.GetProperty("id").GetString()!);
        Assert.Equal(expires, stored!.ExpiresAt);
        Assert.Equal(["203.0.113.7/32", "198.51.100.0/24", "2001:db8::/32"], stored!.AllowedIps);
        Assert.Equal(50, stored.RateLimitPerMinute);
    }

    [Theory]
    [InlineData("""{"name":"k","scopes":["read:everything"]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","scopes":["READ:NOTES"]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","scopes":[]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","scopes":[null]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","scopes":"read:notes"}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","kind":"publishable","scopes":["write:notes"]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","kind":"publishable","scopes":["admin:all"]}""", "parameter_invalid", "scopes")]
    [InlineData("""{"name":"k","kind":"root"}""", "parameter_invalid", "kind")]
    [InlineData("""{"name":"k","kind":1}""", "parameter_invalid", "kind")]
    [InlineData("""{"name":"k","allowed_ips":["not-an-ip"]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"name":"k","allowed_ips":["10.0.0.0/33"]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"name":"k","allowed_ips":["127.1"]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"name":"k","allowed_ips":["203.0.113.0/24", ""]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"name":"k","allowed_ips":[null]}""", "parameter_invalid", "allowed_ips")]
    [InlineData("""{"name":"k","expires_at":"2001-01-01T00:00:00Z"}""", "parameter_invalid", "expires_at")]
    [InlineData("""{"name":"k","expires_at":"next tuesday"}""", "parameter_invalid", "expires_at")]
    [InlineData("""{"name":"k","rate_limit_per_minute":0}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{"name":"k","rate_limit_per_minute":-5}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{"name":"k","rate_limit_per_minute":101}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{"name":"k","rate_limit_per_minute":"fast"}""", "parameter_invalid", "rate_limit_per_minute")]
    [InlineData("""{}""", "parameter_missing", "name")]
    [InlineData("""{"name":"   "}""", "parameter_missing", "name")]
    [InlineData("""{"name":"1234567890123456789012345678901234567890123456789012345678901"}""", "parameter_invalid", "name")]
    [InlineData("""{"name":5}""", "parameter_invalid", "name")]
    [InlineData("""{"name":"Server\nrack 2"}""", "parameter_invalid", "name")]
    [InlineData("""{"name":"Server\u0007"}""", "parameter_invalid", "name")]
    public async Task Bad_input_is_a_400_naming_the_parameter_and_stores_nothing(string body, string code, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync("/api/v1/keys", body);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [InlineData("key_hash", "\"0000\"")]
    [InlineData("org_id", "\"org_01jd4n6x9m3f8r2k7q5w0y1z3a\"")]
    [InlineData("id", "\"key_01jd4n6x9m3f8r2k7q5w0y1z3a\"")]
    [InlineData("mode", "\"live\"")]
    [InlineData("total_requests", "0")]
    [InlineData("prefix", "\"nx_live_aaaaaa\"")]
    [InlineData("revoked_at", "null")]
    [InlineData("secret", "\"nx_test_000000000000000000000000000000\"")]
    [InlineData("created_by_user_id", "\"user_01jd4n6x9m3f8r2k7q5w0y1z3a\"")]
    public async Task A_field_the_caller_may_not_set_is_parameter_unknown_and_stores_nothing(string field, string value)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync("/api/v1/keys", $$"""{"name":"k","{{field}}":{{value}}}""");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_unknown", field);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [InlineData("mode=live", "mode")]
    [InlineData("scopes=admin:all", "scopes")]
    [InlineData("name=x", "name")]
    public async Task A_query_parameter_is_parameter_unknown_and_stores_nothing(string query, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys?{query}", """{"name":"k"}""");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_unknown", param);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task The_26th_active_key_is_key_limit_reached_and_stores_nothing()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        // Keys of both modes count; the admin key is the 25th.
        for (var i = 0; i < 12; i++) await org.CreateKeyAsync(Mode.Test);
        for (var i = 0; i < 12; i++) await org.CreateKeyAsync(Mode.Live);
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync("/api/v1/keys", """{"name":"one too many"}""");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "key_limit_reached");
        Assert.Contains("25", error.GetProperty("message").GetString());
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task Revoked_and_rolled_keys_do_not_count_toward_the_limit()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var keys = new List<ApiKey>();
        for (var i = 0; i < 24; i++) keys.Add((await org.CreateKeyAsync()).Key);
        await ApiAssert.ErrorAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"k"}"""), HttpStatusCode.BadRequest, "key_limit_reached");

        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{keys[0].Id}/revoke", null));
        await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"k"}"""), HttpStatusCode.Created);
        await ApiAssert.ErrorAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"k"}"""), HttpStatusCode.BadRequest, "key_limit_reached");
        // A roll swaps one active key for another: allowed at the limit.
        await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{keys[1].Id}/roll", "{}"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Thirty_concurrent_creates_never_pass_25_active_keys()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        for (var i = 0; i < 19; i++) await org.CreateKeyAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            admin.PostJsonAsync("/api/v1/keys", $$"""{"name":"parallel {{i}}"}""")));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "key_limit_reached");
        var keys = await org.KeysAsync();
        Assert.Equal(25, keys.Count(k => k.WorksAt(DateTimeOffset.UtcNow)));
        Assert.Equal(5, (await org.AuditAsync()).Count(e => e.Action == AuditActions.KeyCreated));
    }
}
