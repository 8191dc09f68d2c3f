using System.Net;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

public sealed class KeyExpiryTests(NexusApp<KeyExpiryTests> app) : IClassFixture<NexusApp<KeyExpiryTests>>
{
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_key_works_until_its_expiry_and_is_key_expired_from_that_moment()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        var expiry = _clock.GetUtcNow().AddHours(1);
        await SetExpiryAsync(key, expiry);
        using var client = host.CreateClient().WithKey(plaintext);

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
        _clock.Advance(TimeSpan.FromSeconds(1));
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
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var (plaintext, key) = await org.CreateKeyAsync();
        await SetExpiryAsync(key, _clock.GetUtcNow().AddMinutes(-1));
        using var client = host.CreateClient().WithKey(plaintext);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "key_expired");
        await org.AssertUnchangedAsync(note);
    }

    [Fact]
    public async Task After_a_roll_both_keys_work_until_the_grace_ends_then_only_the_new_one()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (oldPlaintext, oldKey) = await org.CreateKeyAsync();
        var rolled = await RollAsync(host, org, oldKey, TimeSpan.FromHours(24));
        using var oldClient = host.CreateClient().WithKey(oldPlaintext);
        using var newClient = host.CreateClient().WithKey(rolled.Plaintext!);

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await ApiAssert.OkAsync(await oldClient.GetAsync("/api/v2/notes"));
        await ApiAssert.OkAsync(await newClient.GetAsync("/api/v2/notes"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var error = await ApiAssert.ErrorAsync(await oldClient.GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "key_expired");
        Assert.Contains("grace period ended", error.GetProperty("message").GetString());
        Assert.Contains(oldKey.Prefix, error.GetProperty("message").GetString());
        await ApiAssert.OkAsync(await newClient.GetAsync("/api/v2/notes"));
    }

    [Fact]
    public async Task A_roll_with_no_grace_stops_the_old_key_at_once()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (oldPlaintext, oldKey) = await org.CreateKeyAsync();
        var rolled = await RollAsync(host, org, oldKey, TimeSpan.Zero);

        await ApiAssert.ErrorAsync(await host.CreateClient().WithKey(oldPlaintext).GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "key_expired");
        await ApiAssert.OkAsync(await host.CreateClient().WithKey(rolled.Plaintext!).GetAsync("/api/v2/notes"));
    }

    [Fact]
    public async Task A_key_without_expiry_keeps_working_years_later()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync();
        var (plaintext, _) = await org.CreateKeyAsync();
        using var client = host.CreateClient().WithKey(plaintext);

        _clock.Advance(TimeSpan.FromDays(3650));

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    private WebApplicationFactory<Program> Host() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));

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
