using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class RevokeTests(NexusApp<RevokeTests> app) : IClassFixture<NexusApp<RevokeTests>>
{
    [Fact]
    public async Task Revoking_stops_the_key_at_once_even_when_it_was_just_used()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (secret, key) = await org.CreateKeyAsync();
        using var user = app.CreateClient().WithKey(secret);
        // The key is now in this node's cache.
        await ApiAssert.OkAsync(await user.GetAsync("/api/v1/notes"));

        var revoked = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null));

        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.NotNull((await org.LoadKeyAsync(key.Id))!.RevokedAt);
        await ApiAssert.ErrorAsync(await user.GetAsync("/api/v1/notes"), HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task A_key_may_revoke_itself()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, adminKey, _) = await org.AdminAsync(app.CreateClient());

        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{adminKey.Id}/revoke", null));

        await ApiAssert.ErrorAsync(await admin.GetAsync("/api/v1/keys"), HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Revoking_twice_is_key_already_revoked_and_changes_nothing()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null));
        var before = await org.SnapshotAsync();

        var response = await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "key_already_revoked");
        Assert.Equal(before, await org.SnapshotAsync());
        Assert.Single(await org.AuditAsync(), e => e.Action == AuditActions.KeyRevoked);
    }

    [Theory]
    [InlineData("""{"reason":"leaked"}""", "parameter_unknown", "reason")]
    [InlineData("""{"revoked_at":"2001-01-01T00:00:00Z"}""", "parameter_unknown", "revoked_at")]
    public async Task A_body_field_is_parameter_unknown_and_changes_nothing(string body, string code, string param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys/{key.Id}/revoke", body);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Equal(before, await org.SnapshotAsync());
    }
}
