using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

/// <summary>A key's whole life through the API, with a clock the test moves: create, use, list, update, roll, grace, revoke.</summary>
public sealed class LifecycleTests(NexusApp<LifecycleTests> app) : IClassFixture<NexusApp<LifecycleTests>>
{
    [Fact]
    public async Task A_key_is_created_used_listed_updated_rolled_and_revoked_over_http()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(host.CreateClient());

        // Create: the secret is in this response only, and nothing may cache it.
        var createdResponse = await admin.PostJsonAsync("/api/v1/keys", """{"name":"Server","scopes":["read:notes","write:notes"]}""");
        var created = await ApiAssert.OkAsync(createdResponse, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("nx_test_", secret);
        Assert.StartsWith(created.GetProperty("prefix").GetString()!, secret);
        Assert.Equal("no-store", createdResponse.Headers.CacheControl?.ToString());
        Assert.Equal($"/api/v1/keys/{id}", createdResponse.Headers.Location?.OriginalString);
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal("test", created.GetProperty("mode").GetString());

        // The secret works on the API within its scopes.
        using var user = host.CreateClient().WithKey(secret);
        await ApiAssert.OkAsync(await user.PostJsonAsync("/api/v1/notes", """{"title":"From the new key","body":"b"}"""), HttpStatusCode.Created);

        // Listed and retrievable, without the secret.
        var listText = await (await admin.GetAsync("/api/v1/keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listText);
        var listed = JsonDocument.Parse(listText).RootElement.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.False(listed.TryGetProperty("secret", out _));
        var got = await ApiAssert.OkAsync(await admin.GetAsync($"/api/v1/keys/{id}"));
        Assert.False(got.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret, got.GetRawText());
        Assert.Equal(["read:notes", "write:notes"], got.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // Update: read-only from now on, at once.
        var updated = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{id}", """{"scopes":["read:notes"]}"""));
        Assert.Equal(["read:notes"], updated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await ApiAssert.ErrorAsync(await user.PostJsonAsync("/api/v1/notes", """{"title":"t","body":"b"}"""), HttpStatusCode.Forbidden, "permission_denied");
        await ApiAssert.OkAsync(await user.GetAsync("/api/v1/notes"));

        // Roll with a one-hour grace: both keys work.
        var rolledResponse = await admin.PostJsonAsync($"/api/v1/keys/{id}/roll", """{"grace_period_minutes":60}""");
        var rolled = await ApiAssert.OkAsync(rolledResponse, HttpStatusCode.Created);
        Assert.Equal("no-store", rolledResponse.Headers.CacheControl?.ToString());
        var newId = rolled.GetProperty("id").GetString()!;
        var newSecret = rolled.GetProperty("secret").GetString()!;
        Assert.NotEqual(id, newId);
        Assert.NotEqual(secret, newSecret);
        Assert.Equal(id, rolled.GetProperty("rolled_from").GetString());
        Assert.Equal(["read:notes"], rolled.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var previous = rolled.GetProperty("previous_key");
        Assert.Equal(id, previous.GetProperty("id").GetString());
        Assert.Equal(newId, previous.GetProperty("rolled_to").GetString());
        Assert.Equal("expiring", previous.GetProperty("status").GetString());
        Assert.Equal(Timestamps.Format(clock.GetUtcNow().AddMinutes(60)), previous.GetProperty("grace_ends_at").GetString());
        using var rolledUser = host.CreateClient().WithKey(newSecret);
        await ApiAssert.OkAsync(await user.GetAsync("/api/v1/notes"));
        await ApiAssert.OkAsync(await rolledUser.GetAsync("/api/v1/notes"));

        // One minute before the grace ends the old key is still expiring; after it, expired.
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("expiring", (await ApiAssert.OkAsync(await admin.GetAsync($"/api/v1/keys/{id}"))).GetProperty("status").GetString());
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("expired", (await ApiAssert.OkAsync(await admin.GetAsync($"/api/v1/keys/{id}"))).GetProperty("status").GetString());
        Assert.Equal("active", (await ApiAssert.OkAsync(await admin.GetAsync($"/api/v1/keys/{newId}"))).GetProperty("status").GetString());
        await ApiAssert.OkAsync(await rolledUser.GetAsync("/api/v1/notes"));

        // Revoke: the new key stops at once.
        var revoked = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{newId}/revoke", null));
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal(Timestamps.Format(clock.GetUtcNow()), revoked.GetProperty("revoked_at").GetString());
        await ApiAssert.ErrorAsync(await rolledUser.GetAsync("/api/v1/notes"), HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    /// <remarks>
    /// Depends on the authentication rule for expired keys (key_expired), built on another branch;
    /// the status this API reports is checked by the test above.
    /// </remarks>
    [Fact]
    public async Task After_the_grace_period_the_old_key_is_401_key_expired_and_the_new_one_works()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(host.CreateClient());
        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys", """{"name":"Server"}"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        using var old = host.CreateClient().WithKey(created.GetProperty("secret").GetString()!);
        var rolled = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{id}/roll", """{"grace_period_minutes":60}"""), HttpStatusCode.Created);
        using var successor = host.CreateClient().WithKey(rolled.GetProperty("secret").GetString()!);
        await ApiAssert.OkAsync(await old.GetAsync("/api/v1/notes"));

        clock.Advance(TimeSpan.FromMinutes(61));

        await ApiAssert.ErrorAsync(await old.GetAsync("/api/v1/notes"), HttpStatusCode.Unauthorized, "key_expired");
        await ApiAssert.OkAsync(await successor.GetAsync("/api/v1/notes"));
    }
}
