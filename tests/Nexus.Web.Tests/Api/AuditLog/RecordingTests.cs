using System.Net;
using System.Text.Json;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.AuditLog;

/// <summary>
/// Every key change made through the API leaves exactly one entry naming the calling key, its IP
/// and the request id. Over real loopback HTTP (Kestrel), so the client address is real.
/// </summary>
public sealed class RecordingTests(NexusApp<RecordingTests> app) : IClassFixture<NexusApp<RecordingTests>>
{
    private HttpClient Client() => new() { BaseAddress = app.StartKestrel() };

    [Fact]
    public async Task Each_change_records_one_entry_with_the_calling_key_its_ip_and_the_request_id()
    {
        using var http = Client();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(http);

        var create = await admin.PostJsonAsync("/api/v1/keys", """{"name":"Server","scopes":["read:notes"]}""");
        var created = await ApiAssert.OkAsync(create, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        var update = await admin.PostJsonAsync($"/api/v1/keys/{id}", """{"scopes":["read:notes","read:logs"]}""");
        await ApiAssert.OkAsync(update);
        var roll = await admin.PostJsonAsync($"/api/v1/keys/{id}/roll", """{"grace_period_minutes":30}""");
        var rolled = await ApiAssert.OkAsync(roll, HttpStatusCode.Created);
        var newId = rolled.GetProperty("id").GetString()!;
        var newSecret = rolled.GetProperty("secret").GetString()!;
        var revoke = await admin.PostAsync($"/api/v1/keys/{newId}/revoke", null);
        await ApiAssert.OkAsync(revoke);

        var page = await ApiAssert.OkAsync(await admin.GetAsync("/api/v1/audit-log"));
        var entries = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            [(AuditActions.KeyRevoked, newId, revoke), (AuditActions.KeyRolled, id, roll), (AuditActions.KeyUpdated, id, update), (AuditActions.KeyCreated, id, create)],
            entries.Select(e => (e.GetProperty("action").GetString()!, e.GetProperty("target").GetProperty("id").GetString()!,
                new[] { revoke, roll, update, create }.Single(r => ApiAssert.RequestId(r) == e.GetProperty("request_id").GetString()))));
        foreach (var entry in entries)
        {
            Assert.Equal(["id", "object", "action", "actor", "ip", "request_id", "target", "changes", "created_at"], ApiAssert.Names(entry));
            Assert.Equal("audit_entry", entry.GetProperty("object").GetString());
            var actor = entry.GetProperty("actor");
            Assert.Equal("api_key", actor.GetProperty("type").GetString());
            Assert.Equal(adminKey.Id, actor.GetProperty("id").GetString());
            Assert.Equal(adminKey.Prefix + "…", actor.GetProperty("label").GetString());
            Assert.Equal("127.0.0.1", entry.GetProperty("ip").GetString());
            Assert.Equal("api_key", entry.GetProperty("target").GetProperty("type").GetString());
        }
        var scopes = Assert.Single(entries[2].GetProperty("changes").EnumerateArray());
        Assert.Equal(("scopes", "read:notes", "read:notes read:logs"),
            (scopes.GetProperty("field").GetString(), scopes.GetProperty("before").GetString(), scopes.GetProperty("after").GetString()));
        Assert.Contains(entries[1].GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "rolled_to" && c.GetProperty("after").GetString() == newId);

        // Stored exactly these four, and no secret anywhere in them.
        var stored = await org.AuditAsync();
        Assert.Equal(4, stored.Count);
        var all = page.GetRawText() + JsonSerializer.Serialize(stored);
        Assert.DoesNotContain(secret, all);
        Assert.DoesNotContain(newSecret, all);
    }

    [Fact]
    public async Task Refused_changes_record_nothing()
    {
        using var http = Client();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(http);
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null));

        await ApiAssert.ErrorAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null), HttpStatusCode.Conflict, "key_already_revoked");
        await ApiAssert.ErrorAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null), HttpStatusCode.Conflict, "key_not_active");
        await ApiAssert.ErrorAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"x","scopes":["nope"]}"""), HttpStatusCode.BadRequest, "parameter_invalid", "scopes");

        Assert.Single(await org.AuditAsync());
    }
}
