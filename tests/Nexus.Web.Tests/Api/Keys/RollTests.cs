using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class RollTests(NexusApp<RollTests> app) : IClassFixture<NexusApp<RollTests>>
{
    [Fact]
    public async Task Without_a_body_the_old_key_gets_the_default_24_hour_grace()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, target) = await org.CreateKeyAsync(name: "Server", scopes: [KeyScopes.ReadNotes]);
        var before = DateTimeOffset.UtcNow;

        var rolled = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{target.Id}/roll", null), HttpStatusCode.Created);

        var graceEnds = rolled.GetProperty("previous_key").GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.InRange(graceEnds, before.AddHours(24), DateTimeOffset.UtcNow.AddHours(24));
        var successor = await org.LoadKeyAsync(rolled.GetProperty("id").GetString()!);
        Assert.NotNull(successor);
        Assert.Equal(target.Id, successor.RolledFromKeyId);
        Assert.Equal("Server", successor.Name);
        Assert.Equal([KeyScopes.ReadNotes], successor.Scopes);
    }

    [Fact]
    public async Task An_empty_json_body_also_means_the_default_grace()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, target) = await org.CreateKeyAsync();

        var rolled = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{target.Id}/roll", "{}"), HttpStatusCode.Created);

        var graceEnds = rolled.GetProperty("previous_key").GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.InRange(graceEnds - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }
}

public sealed class RollRulesTests(NexusApp<RollRulesTests> app) : IClassFixture<NexusApp<RollRulesTests>>
{
    [Theory]
    [InlineData("""{"grace_period_minutes":-1}""", "parameter_invalid", "grace_period_minutes")]
    [InlineData("""{"grace_period_minutes":10081}""", "parameter_invalid", "grace_period_minutes")]
    [InlineData("""{"grace_period_minutes":2147483647}""", "parameter_invalid", "grace_period_minutes")]
    [InlineData("""{"grace_period_minutes":"a day"}""", "parameter_invalid", "grace_period_minutes")]
    [InlineData("""{"grace_period_minutes":1.5}""", "parameter_invalid", "grace_period_minutes")]
    [InlineData("""{"id":"key_01jd4n6x9m3f8r2k7q5w0y1z3a"}""", "parameter_unknown", "id")]
    [InlineData("""{"scopes":["admin:all"]}""", "parameter_unknown", "scopes")]
    [InlineData("""{"grace":60}""", "parameter_unknown", "grace")]
    [InlineData("""{"grace_period_minutes":""", "body_invalid_json", null)]
    public async Task Bad_input_is_a_400_and_changes_nothing(string body, string code, string? param)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        var before = await org.SnapshotAsync();

        var response = await admin.PostJsonAsync($"/api/v1/keys/{key.Id}/roll", body);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_415_and_changes_nothing(string contentType)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        var before = await org.SnapshotAsync();

        var response = await admin.PostAsync($"/api/v1/keys/{key.Id}/roll",
            new StringContent("grace_period_minutes=0", System.Text.Encoding.UTF8, contentType));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10080)]
    public async Task The_grace_period_bounds_are_accepted(int minutes)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();

        var rolled = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{key.Id}/roll", $$"""{"grace_period_minutes":{{minutes}}}"""), HttpStatusCode.Created);

        var previous = rolled.GetProperty("previous_key");
        var graceEnds = previous.GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.InRange(graceEnds - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(minutes) - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(minutes));
        // A grace of 7 days ends within the 7-day expiring window.
        Assert.Equal(minutes == 0 ? "expired" : "expiring", previous.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_revoked_key_cannot_be_rolled()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/revoke", null));
        var before = await org.SnapshotAsync();

        var response = await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "key_not_active");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task A_key_that_was_already_rolled_cannot_be_rolled_again()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null), HttpStatusCode.Created);
        var before = await org.SnapshotAsync();

        var response = await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "key_not_active");
        Assert.Contains("already rolled", error.GetProperty("message").GetString());
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task An_expired_key_cannot_be_rolled()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();
        key.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(key);
            await session.SaveChangesAsync();
        }
        var before = await org.SnapshotAsync();

        var response = await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Conflict, "key_not_active");
        Assert.Equal(before, await org.SnapshotAsync());
    }

    [Fact]
    public async Task The_secret_is_in_the_roll_response_only()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, key) = await org.CreateKeyAsync();

        var rolled = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{key.Id}/roll", null), HttpStatusCode.Created);

        var secret = rolled.GetProperty("secret").GetString()!;
        Assert.False(rolled.GetProperty("previous_key").TryGetProperty("secret", out _));
        var newId = rolled.GetProperty("id").GetString()!;
        Assert.DoesNotContain(secret, await (await admin.GetAsync($"/api/v1/keys/{newId}")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(secret, await (await admin.GetAsync("/api/v1/keys")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(secret, await (await admin.GetAsync("/api/v1/audit-log")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(await org.AuditAsync()));
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(await org.KeysAsync()));
    }
}
