using System.Diagnostics;
using System.Net;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// Two web nodes on one database, each with its own key cache: a change made through one is
/// seen by the other within a second, through PostgreSQL NOTIFY.
/// </summary>
public sealed class KeyChangesAcrossNodesTests : IClassFixture<NexusApp<KeyChangesAcrossNodesTests>>, IAsyncLifetime
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    private readonly NexusApp<KeyChangesAcrossNodesTests> _nodeA;
    private readonly WebApplicationFactory<Program> _nodeB;
    // Node B's clock stands still, so its cache entries never time out during a test: only a
    // notification can evict them.
    private readonly TestClock _clockB = new(DateTimeOffset.UtcNow);

    public KeyChangesAcrossNodesTests(NexusApp<KeyChangesAcrossNodesTests> app)
    {
        _nodeA = app;
        _nodeB = app.SecondNode().WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clockB)));
    }

    public async Task InitializeAsync()
    {
        _nodeA.CreateClient().Dispose();
        _nodeB.CreateClient().Dispose();
        await WaitUntilCachingAsync(_nodeA);
        await WaitUntilCachingAsync(_nodeB);
    }

    public async Task DisposeAsync() => await _nodeB.DisposeAsync();

    [Fact]
    public async Task Revoked_key_is_rejected_by_the_other_node_within_one_second()
    {
        var (org, key, nodeB) = await KeyUsedOnNodeBAsync();

        await ChangeOnNodeAAsync(keys => keys.RevokeAsync(org.Org.Id, null, key.Id, Actor(org), default));

        var (status, code, elapsed) = await FirstRefusalAsync(nodeB);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("api_key_revoked", code);
        Assert.True(elapsed < Promise, $"node B still accepted the revoked key after {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_scope_removed_on_one_node_is_enforced_by_the_other_within_one_second()
    {
        var (org, key, nodeB) = await KeyUsedOnNodeBAsync();

        await ChangeOnNodeAAsync(keys => keys.UpdateAsync(org.Org, null, key.Id, new KeyUpdate(Scopes: [KeyScopes.ReadEvents]), Actor(org), default));

        var (status, code, elapsed) = await FirstRefusalAsync(nodeB);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("permission_denied", code);
        Assert.True(elapsed < Promise, $"node B still honoured the removed scope after {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Without_a_notification_the_other_node_keeps_serving_from_its_cache()
    {
        // The control for the tests above: a change written behind the product's back (no NOTIFY)
        // is not seen by node B while its cache holds the key, so the evictions above really are
        // the notifications' doing and not a cache miss.
        var (_, key, nodeB) = await KeyUsedOnNodeBAsync();

        await using (var session = _nodeA.Store.LightweightSession())
        {
            session.Patch<ApiKey>(key.Id).Set(k => k.RevokedAt, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await nodeB.GetAsync("/api/v1/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientFor(_nodeA, nodeB).GetAsync("/api/v1/notes")).StatusCode);
    }

    private async Task<(TestOrg Org, ApiKey Key, HttpClient NodeB)> KeyUsedOnNodeBAsync()
    {
        var org = await _nodeA.CreateOrgAsync();
        var (plaintext, key) = await org.CreateKeyAsync();
        var nodeB = _nodeB.CreateClient();
        nodeB.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
        // The first call loads the key into node B's cache.
        Assert.Equal(HttpStatusCode.OK, (await nodeB.GetAsync("/api/v1/notes")).StatusCode);
        return (org, key, nodeB);
    }

    private async Task ChangeOnNodeAAsync(Func<KeyManager, Task<KeyResult>> change)
    {
        await using var scope = _nodeA.Services.CreateAsyncScope();
        var result = await change(scope.ServiceProvider.GetRequiredService<KeyManager>());
        Assert.Null(result.Problem);
    }

    /// <summary>Calls node B until it refuses the key, for at most a few times the promise (so a failure reports how late it was).</summary>
    private static async Task<(HttpStatusCode Status, string? Code, TimeSpan Elapsed)> FirstRefusalAsync(HttpClient nodeB)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var response = await nodeB.GetAsync("/api/v1/notes");
            if (response.StatusCode != HttpStatusCode.OK || watch.Elapsed > 5 * Promise)
                return (response.StatusCode, await ErrorCodeAsync(response), watch.Elapsed);
            await Task.Delay(10);
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null;
    }

    private static HttpClient ClientFor(WebApplicationFactory<Program> node, HttpClient withKey)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = withKey.DefaultRequestHeaders.Authorization;
        return client;
    }

    private static AuditActor Actor(TestOrg org) => AuditActor.User(org.Owner.Id, org.Owner.Email, "127.0.0.1", null);

    private static async Task WaitUntilCachingAsync(WebApplicationFactory<Program> node)
    {
        var cache = node.Services.GetRequiredService<ApiKeyCache>();
        var watch = Stopwatch.StartNew();
        while (!cache.IsCaching && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        Assert.True(cache.IsCaching, "the key-change listener did not connect");
    }
}
