using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

public sealed class KeyUsageRecorderTests(NexusApp<KeyUsageRecorderTests> app) : IClassFixture<NexusApp<KeyUsageRecorderTests>>
{
    [Fact]
    public async Task Each_key_counts_the_requests_it_made_and_when_it_was_last_used()
    {
        var org = await app.CreateOrgAsync();
        var (a, keyA) = await org.CreateKeyAsync(name: "a");
        var (b, keyB) = await org.CreateKeyAsync(name: "b");
        var (_, idle) = await org.CreateKeyAsync(name: "idle");
        var before = DateTimeOffset.UtcNow;

        await RequestAsync(app, a, 7);
        await RequestAsync(app, b, 3);
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);

        var (storedA, storedB, storedIdle) = (await LoadAsync(keyA), await LoadAsync(keyB), await LoadAsync(idle));
        Assert.Equal(7, storedA.TotalRequests);
        Assert.Equal(3, storedB.TotalRequests);
        Assert.Equal(0, storedIdle.TotalRequests);
        Assert.True(storedA.LastUsedAt >= before, $"LastUsedAt {storedA.LastUsedAt} before {before}");
        Assert.Null(storedIdle.LastUsedAt);
    }

    [Fact]
    public async Task Counts_add_up_across_flushes_and_web_nodes()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        await using var second = app.SecondNode();

        await RequestAsync(app, plaintext, 2);
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);
        await RequestAsync(app, plaintext, 3);
        await RequestAsync(second, plaintext, 4);
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);
        await second.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);

        Assert.Equal(9, (await LoadAsync(key)).TotalRequests);
    }

    [Fact]
    public async Task Last_use_only_moves_forward_whichever_node_writes_last()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        await using var second = app.SecondNode();

        await RequestAsync(second, plaintext, 1); // the earlier use, on the node that flushes last
        await RequestAsync(app, plaintext, 1);
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);
        var latest = (await LoadAsync(key)).LastUsedAt;
        await second.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);

        var stored = await LoadAsync(key);
        Assert.NotNull(latest);
        Assert.Equal(latest, stored.LastUsedAt);
        Assert.Equal(2, stored.TotalRequests);
    }

    [Fact]
    public async Task Refused_requests_are_not_counted()
    {
        var org = await app.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        key.RevokedAt = DateTimeOffset.UtcNow;
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(key);
            await session.SaveChangesAsync();
        }

        await RequestAsync(app, plaintext, 3, expectSuccess: false);
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(CancellationToken.None);

        var stored = await LoadAsync(key);
        Assert.Equal(0, stored.TotalRequests);
        Assert.Null(stored.LastUsedAt);
    }

    private static async Task RequestAsync(NexusApp<KeyUsageRecorderTests> host, string key, int times, bool expectSuccess = true)
    {
        using var client = host.CreateClient().WithKey(key);
        for (var i = 0; i < times; i++)
        {
            var response = await client.GetAsync("/api/v2/notes");
            Assert.Equal(expectSuccess, response.IsSuccessStatusCode);
        }
    }

    private async Task<ApiKey> LoadAsync(ApiKey key)
    {
        await using var session = app.Store.QuerySession();
        return (await session.LoadAsync<ApiKey>(key.Id))!;
    }
}
