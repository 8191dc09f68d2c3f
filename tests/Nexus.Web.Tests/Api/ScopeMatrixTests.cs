using System.Net;
using System.Text.Json;
using EndpointDefinition = FastEndpoints.EndpointDefinition;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
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
        var isWrite = !KeyScopes.IsRead(scope);
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var key = caller switch
        {
            Caller.OwnOrgWithTheRoutesScope => (await org.CreateKeyAsync(scopes: [scope])).Plaintext,
            Caller.OtherOrg => (await (await app.CreateOrgAsync("Other")).CreateKeyAsync(scopes: [KeyScopes.AdminAll])).Plaintext,
            Caller.MissingTheScope => (await org.CreateKeyAsync(scopes: [KeyScopes.ReadEvents, KeyScopes.WriteWebhooks])).Plaintext,
            Caller.ReadOnlyScope => (await org.CreateKeyAsync(scopes: [KeyScopes.ReadNotes])).Plaintext,
            Caller.WriteScope => (await org.CreateKeyAsync(scopes: [KeyScopes.WriteNotes])).Plaintext,
            Caller.AdminAll => (await org.CreateKeyAsync(scopes: [KeyScopes.AdminAll])).Plaintext,
            Caller.Publishable => (await org.CreateKeyAsync(kind: KeyKind.Publishable)).Plaintext,
            Caller.OtherMode => (await org.CreateKeyAsync(Mode.Live, scopes: [KeyScopes.AdminAll])).Plaintext,
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
        using var client = app.CreateClient().WithKey(key);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        var refusedScope = caller switch
        {
            Caller.MissingTheScope => true,
            Caller.ReadOnlyScope or Caller.Publishable => isWrite,
            _ => false,
        };
        if (refusedScope)
        {
            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "permission_denied");
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains($"'{scope}'", message);
            if (caller == Caller.Publishable) Assert.Contains("Publishable keys are read-only", message);
            Assert.DoesNotContain(key, error.GetRawText());
            await org.AssertUnchangedAsync(note);
            return;
        }

        if (caller is Caller.OtherOrg or Caller.OtherMode)
        {
            await AssertNeverSeesTheNoteAsync(response, method, path, org, note);
            return;
        }

        Assert.True(response.IsSuccessStatusCode, $"{caller} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (method == "GET" && !path.EndsWith("{id}")) Assert.Contains(note.Id, await ListedIdsAsync(response));
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

        Assert.Equal(served.Select(s => s.Route).Order(), ApiRoutes.All.Order());
        foreach (var (route, scopes) in served)
            Assert.True(scopes.SequenceEqual([ApiRoutes.Scopes[route]]), $"{route.Item1} {route.Item2} declares [{string.Join(", ", scopes)}], the matrix expects {ApiRoutes.Scopes[route]}");
    }

    /// <summary>Another org's (or mode's) note is 404 by id, missing from lists, and untouched by writes.</summary>
    private static async Task AssertNeverSeesTheNoteAsync(HttpResponseMessage response, string method, string path, TestOrg org, Nexus.Shared.Notes.Note note)
    {
        if (path.EndsWith("{id}"))
            await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        else if (method == "GET")
            Assert.DoesNotContain(note.Id, await ListedIdsAsync(response));
        else
        {
            // A create lands in the caller's own org and mode, never beside this note.
            var created = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
            var stored = await org.LoadNoteAsync(created.GetProperty("id").GetString()!);
            Assert.NotNull(stored);
            if (stored.OrgId == org.Org.Id)
            {
                // Same org, other mode: the new note is a live one, and the test-mode note is as it was.
                Assert.Equal(Mode.Live, stored.Mode);
                Assert.Equal(note.Title, (await org.LoadNoteAsync(note.Id))?.Title);
                return;
            }
        }
        await org.AssertUnchangedAsync(note);
    }

    private static async Task<List<string>> ListedIdsAsync(HttpResponseMessage response)
    {
        var body = await ApiAssert.OkAsync(response);
        return body.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
    }
}
