using System.Net;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

public sealed class KeyExpiryTests(ClockedNexusApp<KeyExpiryTests> app) : IClassFixture<ClockedNexusApp<KeyExpiryTests>>
{
    private TestClock Clock => app.Clock;

    [Fact]
    public async Task A_key_works_until_its_expiry_and_is_key_expired_from_that_moment()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        var expiry = Clock.GetUtcNow().AddHours(1);
        await SetExpiryAsync(key, expiry);
        using var client = app.CreateClient().WithKey(plaintext);

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
        Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var response = await client.GetAsync("/api/v2/notes");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "key_expired");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(key.Prefix, message);
        Assert.EndsWith($"expired at {Timestamps.Format(expiry)}.", message);
        Assert.Matches(@"expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\.$", message);
        Assert.DoesNotContain(plaintext, error.GetRawText());
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(ApiRoutes.AllRoutes), MemberType = typeof(ApiRoutes))]
    public async Task An_expired_key_changes_nothing_on_any_route(string method, string path)
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var (plaintext, key) = await org.CreateKeyAsync();
        await SetExpiryAsync(key, Clock.GetUtcNow().AddMinutes(-1));
        using var client = app.CreateClient().WithKey(plaintext);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "key_expired");
        await org.AssertUnchangedAsync(note);
    }

    [Fact]
    public async Task After_a_roll_both_keys_work_until_the_grace_ends_then_only_the_new_one()
    {
        var org = await app.CreateOrgAsync();
        var (oldPlaintext, oldKey) = await org.CreateKeyAsync();
        var rolled = await RollAsync(app, org, oldKey, TimeSpan.FromHours(24));
        using var oldClient = app.CreateClient().WithKey(oldPlaintext);
        using var newClient = app.CreateClient().WithKey(rolled.Plaintext!);

        Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await ApiAssert.OkAsync(await oldClient.GetAsync("/api/v2/notes"));
        await ApiAssert.OkAsync(await newClient.GetAsync("/api/v2/notes"));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var error = await ApiAssert.ErrorAsync(await oldClient.GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "key_expired");
        Assert.Contains("grace period ended", error.GetProperty("message").GetString());
        Assert.Contains(oldKey.Prefix, error.GetProperty("message").GetString());
        await ApiAssert.OkAsync(await newClient.GetAsync("/api/v2/notes"));
    }

    [Fact]
    public async Task A_roll_with_no_grace_stops_the_old_key_at_once()
    {
        var org = await app.CreateOrgAsync();
        var (oldPlaintext, oldKey) = await org.CreateKeyAsync();
        var rolled = await RollAsync(app, org, oldKey, TimeSpan.Zero);

        await ApiAssert.ErrorAsync(await app.CreateClient().WithKey(oldPlaintext).GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "key_expired");
        await ApiAssert.OkAsync(await app.CreateClient().WithKey(rolled.Plaintext!).GetAsync("/api/v2/notes"));
    }

    [Fact]
    public async Task A_key_without_expiry_keeps_working_years_later()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, _) = await org.CreateKeyAsync();
        using var client = app.CreateClient().WithKey(plaintext);

        Clock.Advance(TimeSpan.FromDays(3650));

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    private async Task SetExpiryAsync(ApiKey key, DateTimeOffset expiresAt)
    {
        key.ExpiresAt = expiresAt;
        await using var session = app.Store.LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
    }

    /// <summary>Rolls through the product's own KeyManager, on the host whose clock the test drives.</summary>
    private static async Task<KeyResult> RollAsync(WebApplicationFactory<Program> host, TestOrg org, ApiKey key, TimeSpan grace)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<KeyManager>();
        var result = await manager.RollAsync(org.Org.Id, null, key.Id, grace,
            AuditActor.User(org.Owner.Id, org.Owner.Email, null, null), CancellationToken.None);
        Assert.Null(result.Problem);
        return result;
    }
}
