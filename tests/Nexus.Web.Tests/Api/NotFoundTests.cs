using System.Net;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;
using static Nexus.Web.Tests.Support.ApiRoutes;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// Every route that takes an object id answers an id the caller cannot see with one wording,
/// Stripe's: <c>No such note: 'note_…'.</c> When the caller's own org has the id in the other mode
/// (a live object asked for with a test key, or the reverse) the message says so; another org's id
/// gets no such hint, so ids still reveal nothing across orgs.
/// </summary>
public sealed class NotFoundTests(NexusApp<NotFoundTests> app) : IClassFixture<NexusApp<NotFoundTests>>
{
    public static TheoryData<string, string> IdRoutes() => Routes(All.Where(r => r.Path.Contains("{id}")));

    public static TheoryData<string, string, Mode> IdRoutesInBothModes()
    {
        var data = new TheoryData<string, string, Mode>();
        foreach (var (method, path) in All.Where(r => r.Path.Contains("{id}")))
            foreach (var keyMode in new[] { Mode.Test, Mode.Live })
                data.Add(method, path, keyMode);
        return data;
    }

    [Theory]
    [MemberData(nameof(IdRoutes))]
    public async Task An_unknown_id_is_no_such_object_named_for_the_route(string method, string path)
    {
        var org = await app.CreateOrgAsync();
        using var client = await AdminClientAsync(org, Mode.Test);
        var id = Ids.New(PrefixOf(path));

        var response = await client.SendAsync(Request(method, path, id));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such {NounOf(path)}: '{id}'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(IdRoutesInBothModes))]
    public async Task An_id_the_org_has_in_the_other_mode_says_so(string method, string path, Mode keyMode)
    {
        var objectMode = keyMode == Mode.Test ? Mode.Live : Mode.Test;
        var org = await app.CreateOrgAsync();
        var targets = await SeedAsync(org, objectMode);
        using var client = await AdminClientAsync(org, keyMode);
        var id = targets.IdFor(path);

        var response = await client.SendAsync(Request(method, path, targets));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal(
            $"No such {NounOf(path)}: '{id}'; a similar object exists in {objectMode.ToWire()} mode, but a {keyMode.ToWire()} mode key was used to make this request.",
            error.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(IdRoutesInBothModes))]
    public async Task Another_orgs_id_gets_no_hint_in_either_mode(string method, string path, Mode objectMode)
    {
        var org = await app.CreateOrgAsync();
        var other = await app.CreateOrgAsync("Other");
        var theirs = await SeedAsync(other, objectMode);
        using var client = await AdminClientAsync(org, Mode.Test);
        var id = theirs.IdFor(path);

        var response = await client.SendAsync(Request(method, path, theirs));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such {NounOf(path)}: '{id}'.", error.GetProperty("message").GetString());
    }

    /// <summary>A customer id sent to a note route is no note: the plain answer, even though the org has that customer in the other mode.</summary>
    [Theory]
    [MemberData(nameof(IdRoutes))]
    public async Task Another_kinds_id_is_no_such_object_of_the_routes_kind_without_a_hint(string method, string path)
    {
        var org = await app.CreateOrgAsync();
        var live = await SeedAsync(org, Mode.Live);
        using var client = await AdminClientAsync(org, Mode.Test);
        var wrong = ResourceOf(path) == Resource.Customers ? live.NoteId : live.CustomerId;

        var response = await client.SendAsync(Request(method, path, wrong));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such {NounOf(path)}: '{wrong}'.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_long_id_is_quoted_clipped()
    {
        var org = await app.CreateOrgAsync();
        using var client = await AdminClientAsync(org, Mode.Test);
        var id = "cus_" + new string('a', 300);

        var response = await client.GetAsync($"/api/v1/customers/{id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such customer: '{id[..64]}…'.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_deleted_endpoint_of_the_other_mode_gets_no_hint()
    {
        var org = await app.CreateOrgAsync();
        var (endpoint, _) = await org.CreateEndpointAsync(Mode.Live);
        using (var live = await AdminClientAsync(org, Mode.Live))
            await ApiAssert.OkAsync(await live.DeleteAsync($"/api/v1/webhook-endpoints/{endpoint.Id}"));
        using var client = await AdminClientAsync(org, Mode.Test);

        var response = await client.GetAsync($"/api/v1/webhook-endpoints/{endpoint.Id}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "id");
        Assert.Equal($"No such webhook endpoint: '{endpoint.Id}'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(Mode.Test)]
    [InlineData(Mode.Live)]
    public async Task Replaying_to_an_endpoint_of_the_other_mode_names_it_under_endpoint_id(Mode keyMode)
    {
        var objectMode = keyMode == Mode.Test ? Mode.Live : Mode.Test;
        var org = await app.CreateOrgAsync();
        var (_, evt, _) = await WebhookData.SeedDeliveryAsync(org, keyMode);
        var (elsewhere, _) = await org.CreateEndpointAsync(objectMode);
        using var client = await AdminClientAsync(org, keyMode);

        var response = await client.PostAsync($"/api/v1/events/{evt.Id}/replay", NoteData.Json($$"""{"endpoint_id":"{{elsewhere.Id}}"}"""));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "resource_missing", "endpoint_id");
        Assert.Equal(
            $"No such webhook endpoint: '{elsewhere.Id}'; a similar object exists in {objectMode.ToWire()} mode, but a {keyMode.ToWire()} mode key was used to make this request.",
            error.GetProperty("message").GetString());
        Assert.Single(await org.DeliveriesAsync());
    }

    [Fact]
    public async Task The_hint_changes_nothing_it_names()
    {
        var org = await app.CreateOrgAsync();
        var live = await SeedAsync(org, Mode.Live);
        using var client = await AdminClientAsync(org, Mode.Test);

        await ApiAssert.ErrorAsync(await client.PostAsync($"/api/v1/keys/{live.KeyId}/revoke", null), HttpStatusCode.NotFound, "resource_missing", "id");
        await ApiAssert.ErrorAsync(await client.DeleteAsync($"/api/v1/webhook-endpoints/{live.EndpointId}"), HttpStatusCode.NotFound, "resource_missing", "id");

        await using var session = app.Store.QuerySession();
        Assert.Null((await session.LoadAsync<ApiKey>(live.KeyId))!.RevokedAt);
        Assert.False((await session.LoadAsync<WebhookEndpoint>(live.EndpointId))!.Deleted);
    }

    /// <summary>A client with every scope, so each route gets as far as looking the id up.</summary>
    private Task<HttpClient> AdminClientAsync(TestOrg org, Mode mode) => org.ClientWithKeyAsync(app.CreateClient(), mode, [KeyScopes.AdminAll]);

    private static string NounOf(string path) => ResourceOf(path) switch
    {
        Resource.Notes => "note",
        Resource.Keys => "API key",
        Resource.AuditLog => "audit entry",
        Resource.RequestLogs => "request log",
        Resource.WebhookEndpoints => "webhook endpoint",
        Resource.Events => "event",
        Resource.WebhookDeliveries => "webhook delivery",
        Resource.Customers => "customer",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "no objects by id"),
    };

    private static string PrefixOf(string path) => ResourceOf(path) switch
    {
        Resource.Notes => "note",
        Resource.Keys => "key",
        Resource.AuditLog => "aud",
        Resource.RequestLogs => "req",
        Resource.WebhookEndpoints => "we",
        Resource.Events => "evt",
        Resource.WebhookDeliveries => "dlv",
        Resource.Customers => "cus",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "no objects by id"),
    };

    private static TheoryData<string, string> Routes(IEnumerable<(string Method, string Path)> routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in routes) data.Add(method, path);
        return data;
    }
}
