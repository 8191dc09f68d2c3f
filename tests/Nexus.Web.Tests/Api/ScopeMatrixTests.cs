using System.Net;
using System.Text.Json;
using EndpointDefinition = FastEndpoints.EndpointDefinition;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// Every API route against every kind of caller: its own org with the route's scope, another org,
/// a key missing the scope, read-only and write scopes, admin:all, a publishable key, and the
/// other mode. Refusals are 404 (never revealing another org's or mode's data) or 403 naming the
/// scope, and store nothing.
/// </summary>
public sealed class ScopeMatrixTests(NexusApp<ScopeMatrixTests> app) : IClassFixture<NexusApp<ScopeMatrixTests>>
{
    public enum Caller
    {
        OwnOrgWithTheRoutesScope,
        OtherOrg,
        MissingTheScope,
        ReadOnlyScope,
        WriteScope,
        AdminAll,
        Publishable,
        OtherMode,
    }

    public static TheoryData<string, string, Caller> Matrix()
    {
        var data = new TheoryData<string, string, Caller>();
        foreach (var (method, path) in ApiRoutes.All)
            foreach (var caller in Enum.GetValues<Caller>())
                data.Add(method, path, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_route_answers_every_caller_as_its_scope_org_and_mode_require(string method, string path, Caller caller)
    {
        var scope = ApiRoutes.ScopeFor(method, path);
        var org = await app.CreateOrgAsync();
        var targets = await ApiRoutes.SeedAsync(org);
        IReadOnlyList<string> reads = KeyScopes.DefaultFor(KeyKind.Publishable);
        IReadOnlyList<string> writes = [.. KeyScopes.All.Select(s => s.Name).Where(s => s.StartsWith("write:"))];
        var (granted, kind) = caller switch
        {
            Caller.OwnOrgWithTheRoutesScope => ([scope], KeyKind.Secret),
            Caller.MissingTheScope => ([.. KeyScopes.All.Select(s => s.Name).Where(s => !KeyScopes.Allows([s], KeyKind.Secret, scope))], KeyKind.Secret),
            Caller.ReadOnlyScope => (reads, KeyKind.Secret),
            Caller.WriteScope => (writes, KeyKind.Secret),
            Caller.Publishable => (reads, KeyKind.Publishable),
            _ => ((IReadOnlyList<string>)[KeyScopes.AdminAll], KeyKind.Secret),
        };
        var keyOwner = caller == Caller.OtherOrg ? await app.CreateOrgAsync("Other") : org;
        var (key, _) = await keyOwner.CreateKeyAsync(caller == Caller.OtherMode ? Mode.Live : Mode.Test, kind, "caller", granted);
        using var client = app.CreateClient().WithKey(key);
        var before = await TestModeStateAsync(org);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets));

        if (!KeyScopes.Allows(granted, kind, scope))
        {
            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "permission_denied");
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains($"'{scope}'", message);
            if (kind == KeyKind.Publishable) Assert.Contains("Publishable keys can hold only read scopes", message);
            Assert.DoesNotContain(key, error.GetRawText());
            Assert.Equal(before, await TestModeStateAsync(org));
            return;
        }

        var targetId = targets.IdFor(path);
        if (caller is Caller.OtherOrg or Caller.OtherMode)
        {
            // Another org's (or mode's) object is 404 by id and missing from lists, and a create
            // lands in the caller's own org and mode: this org's test-mode data is as it was.
            if (path.EndsWith("{id}") || path.Contains("{id}/"))
                await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
            else if (ApiRoutes.ResourceOf(path) == ApiRoutes.Resource.EventTypes)
                // The catalog belongs to no org: every caller sees the same types.
                Assert.Contains(targetId, await ListedIdsAsync(path, response));
            else if (method == "GET")
                Assert.DoesNotContain(targetId, await ListedIdsAsync(path, response));
            else
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(before, await TestModeStateAsync(org));
            return;
        }

        Assert.True(response.IsSuccessStatusCode, $"{caller} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (method == "GET" && !path.Contains("{id}")) Assert.Contains(targetId, await ListedIdsAsync(path, response));
    }

    /// <summary>The completeness check: the matrix covers every API route the app serves, with the scope the route really declares.</summary>
    [Fact]
    public void The_matrix_lists_every_api_route_with_the_scope_it_declares()
    {
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<EndpointDefinition>() is not null)
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Endpoint: e))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m =>
                (Route: (m, e.Path), Scopes: e.Endpoint.Metadata.GetMetadata<EndpointDefinition>()!.AllowedScopes ?? [])))
            .ToList();
        // HEAD is served wherever GET is, by the same endpoint (HeadRequestTests): the matrix lists GET.
        var head = served.Where(s => s.Route.m == "HEAD").ToList();
        served.RemoveAll(s => s.Route.m == "HEAD");
        Assert.Equal(served.Where(s => s.Route.m == "GET").Select(s => s.Route.Item2).Order(), head.Select(h => h.Route.Item2).Order());

        Assert.Equal(served.Select(s => s.Route).Order(), ApiRoutes.All.Order());
        foreach (var (route, scopes) in served)
            Assert.True(scopes.SequenceEqual([ApiRoutes.Scopes[route]]), $"{route.Item1} {route.Item2} declares [{string.Join(", ", scopes)}], the matrix expects {ApiRoutes.Scopes[route]}");
    }

    /// <summary>
    /// Everything of the org in test mode that a request could change, as JSON: notes, keys (without
    /// the usage stamps every request writes in the background) and audit entries.
    /// </summary>
    private async Task<string> TestModeStateAsync(TestOrg org)
    {
        await using var session = app.Store.QuerySession();
        var notes = await session.Query<Note>().Where(n => n.OrgId == org.Org.Id && n.Mode == Mode.Test).OrderBy(n => n.Id).ToListAsync();
        var keys = await session.Query<ApiKey>().Where(k => k.OrgId == org.Org.Id && k.Mode == Mode.Test && k.Name != "caller").OrderBy(k => k.Id).ToListAsync();
        foreach (var k in keys) (k.LastUsedAt, k.TotalRequests) = (null, 0);
        var audit = await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id && e.Mode == Mode.Test).OrderBy(e => e.Id).ToListAsync();
        var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.OrgId == org.Org.Id && e.Mode == Mode.Test).OrderBy(e => e.Id).ToListAsync();
        var events = await session.Query<WebhookEvent>().Where(e => e.OrgId == org.Org.Id && e.Mode == Mode.Test).OrderBy(e => e.Id).ToListAsync();
        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.OrgId == org.Org.Id && d.Mode == Mode.Test).OrderBy(d => d.Id).ToListAsync();
        return JsonSerializer.Serialize(new { notes, keys, audit, endpoints, events, deliveries });
    }

    /// <summary>The ids a list shows; for the usage summary, the keys it reports on; for the event types, their names.</summary>
    private static async Task<List<string>> ListedIdsAsync(string path, HttpResponseMessage response)
    {
        var body = await ApiAssert.OkAsync(response);
        return ApiRoutes.ResourceOf(path) switch
        {
            ApiRoutes.Resource.Usage => body.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("key_id").GetString()!).ToList(),
            ApiRoutes.Resource.EventTypes => body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList(),
            _ => body.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList(),
        };
    }
}
