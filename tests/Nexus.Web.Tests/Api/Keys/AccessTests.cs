using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

/// <summary>Who may manage keys and read the audit log: admin:all keys, and only for their own org and mode.</summary>
public sealed class AccessTests(NexusApp<AccessTests> app) : IClassFixture<NexusApp<AccessTests>>
{
    /// <summary>Every key-management and audit-log route, with a body it accepts ({id} is a key id, {entry} an audit entry id).</summary>
    public static readonly (string Method, string Path, string? Body)[] Routes =
    [
        ("GET", "/api/v1/keys", null),
        ("POST", "/api/v1/keys", """{"name":"New key"}"""),
        ("GET", "/api/v1/keys/{id}", null),
        ("POST", "/api/v1/keys/{id}", """{"name":"Renamed"}"""),
        ("POST", "/api/v1/keys/{id}/roll", """{"grace_period_minutes":60}"""),
        ("POST", "/api/v1/keys/{id}/revoke", null),
        ("GET", "/api/v1/audit-log", null),
        ("GET", "/api/v1/audit-log/{entry}", null),
    ];

    public static TheoryData<string, string> AllRoutes() => Data(Routes);

    public static TheoryData<string, string> ObjectRoutes() => Data(Routes.Where(r => r.Path.Contains('{')));

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task A_key_without_admin_all_is_403_naming_admin_all_and_changes_nothing(string method, string path)
    {
        var (org, target, entryId) = await SetupAsync();
        var (secret, _) = await org.CreateKeyAsync(scopes: KeyScopes.DefaultFor(KeyKind.Secret));
        using var client = app.CreateClient().WithKey(secret);
        var before = await org.SnapshotAsync();

        var response = await client.SendAsync(Request(method, path, target.Id, entryId));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.Contains("admin:all", error.GetProperty("message").GetString());
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task A_publishable_key_is_403_and_changes_nothing(string method, string path)
    {
        var (org, target, entryId) = await SetupAsync();
        // Even granted admin:all (stored directly), a publishable key is read-only.
        var (secret, _) = await org.CreateKeyAsync(kind: KeyKind.Publishable, scopes: [KeyScopes.AdminAll]);
        using var client = app.CreateClient().WithKey(secret);
        var before = await org.SnapshotAsync();

        var response = await client.SendAsync(Request(method, path, target.Id, entryId));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "permission_denied");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ObjectRoutes))]
    public async Task Another_orgs_key_or_entry_is_404_and_unchanged(string method, string path)
    {
        var (other, target, entryId) = await SetupAsync();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (client, _, _) = await org.AdminAsync(app.CreateClient());
        var before = await other.SnapshotAsync();

        var response = await client.SendAsync(Request(method, path, target.Id, entryId));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(before, await other.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ObjectRoutes))]
    public async Task A_live_key_cannot_see_or_touch_test_keys(string method, string path)
    {
        var (org, target, entryId) = await SetupAsync(Mode.Test);
        var (live, _, _) = await org.AdminAsync(app.CreateClient(), Mode.Live);
        var before = await org.SnapshotAsync();

        var response = await live.SendAsync(Request(method, path, target.Id, entryId));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ObjectRoutes))]
    public async Task A_test_key_cannot_see_or_touch_live_keys(string method, string path)
    {
        var (org, target, entryId) = await SetupAsync(Mode.Live);
        var (test, _, _) = await org.AdminAsync(app.CreateClient(), Mode.Test);
        var before = await org.SnapshotAsync();

        var response = await test.SendAsync(Request(method, path, target.Id, entryId));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ObjectRoutes))]
    public async Task A_malformed_or_unknown_id_is_404(string method, string path)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (client, _, _) = await org.AdminAsync(app.CreateClient());
        var before = await org.SnapshotAsync();

        foreach (var id in new[] { "nope", "key_01JD4N6X9M3F8R2K7Q5W0Y1Z3A", "note_01jd4n6x9m3f8r2k7q5w0y1z3a", Ids.New("key"), Ids.New("aud"), new string('k', 300) })
            await ApiAssert.ErrorAsync(await client.SendAsync(Request(method, path, id, id)), HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task Lists_never_show_the_other_modes_or_another_orgs_keys_and_entries()
    {
        var (org, _, _) = await SetupAsync(Mode.Test);
        var (other, _, _) = await SetupAsync(Mode.Live);
        var (live, liveAdmin, _) = await org.AdminAsync(app.CreateClient(), Mode.Live);

        var keys = await ApiAssert.OkAsync(await live.GetAsync("/api/v1/keys?limit=100"));
        var audit = await ApiAssert.OkAsync(await live.GetAsync("/api/v1/audit-log?limit=100"));

        Assert.Equal([liveAdmin.Id], KeyData.Ids(keys));
        Assert.Empty(KeyData.Ids(audit));
        Assert.NotEmpty(await other.AuditAsync());
        Assert.NotEmpty(await org.AuditAsync());
    }

    /// <summary>An org with a key (the target) and one audit entry about it, made through the API by an admin key of <paramref name="mode"/>.</summary>
    private async Task<(TestOrg Org, ApiKey Target, string EntryId)> SetupAsync(Mode mode = Mode.Test)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient(), mode);
        var (_, target) = await org.CreateKeyAsync(mode, name: "Target");
        await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{target.Id}", """{"name":"Target renamed"}"""));
        var entry = Assert.Single(await org.AuditAsync());
        return (org, (await org.LoadKeyAsync(target.Id))!, entry.Id);
    }

    public static HttpRequestMessage Request(string method, string path, string keyId, string entryId)
    {
        var body = Routes.Single(r => r.Method == method && r.Path == path).Body;
        return new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", keyId).Replace("{entry}", entryId))
        {
            Content = body is null ? null : NoteData.Json(body),
        };
    }

    private static TheoryData<string, string> Data(IEnumerable<(string Method, string Path, string? Body)> routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path, _) in routes) data.Add(method, path);
        return data;
    }
}
