using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>Every Webhooks route against another org's ids, a viewer, another mode, and a missing antiforgery token.</summary>
public sealed class AccessTests(NexusApp<AccessTests> app) : IClassFixture<NexusApp<AccessTests>>
{
    /// <summary>Every change route, as (path with {endpoint}/{delivery}/{event} placeholders, form fields).</summary>
    private static readonly (string Path, KeyValuePair<string, string>[] Fields)[] ChangeRoutes =
    [
        ("/webhooks/endpoints/{endpoint}?mode=test", [new("url", "http://127.0.0.1:9/changed"), new("enabled_events", "*")]),
        ("/webhooks/endpoints/{endpoint}/enabled?mode=test", [new("enabled", "false")]),
        ("/webhooks/endpoints/{endpoint}/reveal?mode=test", []),
        ("/webhooks/endpoints/{endpoint}/rotate?mode=test", [new("grace_hours", "0")]),
        ("/webhooks/endpoints/{endpoint}/test?mode=test", []),
        ("/webhooks/endpoints/{endpoint}/retry-failed?mode=test", [new("since", "30d")]),
        ("/webhooks/endpoints/{endpoint}/delete?mode=test", []),
        ("/webhooks/deliveries/{delivery}/retry?mode=test", []),
        ("/webhooks/events/{event}/replay?mode=test", [new("endpoint_id", "{endpoint}")]),
    ];

    private static readonly string[] ReadRoutes =
    [
        "/webhooks/endpoints/{endpoint}/edit?mode=test",
        "/webhooks/endpoints/{endpoint}/rotate?mode=test",
        "/webhooks/endpoints/{endpoint}/retry-failed?mode=test",
        "/webhooks/deliveries/{delivery}?mode=test",
    ];

    [Fact]
    public async Task Another_orgs_endpoints_deliveries_and_events_are_404_on_every_route_and_never_listed()
    {
        var (victim, state) = await VictimAsync();
        var attacker = DashboardClient.For(app);
        await attacker.SignUpNewAsync("Mallory Inc");

        foreach (var path in ReadRoutes)
            Assert.True(HttpStatusCode.NotFound == (await attacker.HtmxGetAsync(Fill(path, state))).StatusCode, path);
        foreach (var (path, fields) in ChangeRoutes)
        {
            var response = await attacker.HtmxPostAsync(Fill(path, state), fields.Select(f => new KeyValuePair<string, string>(f.Key, Fill(f.Value, state))));
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
        var table = await (await attacker.HtmxGetAsync($"/webhooks/deliveries?mode=test&endpoint={state.Endpoint.Id}")).Content.ReadAsStringAsync();
        var page = await attacker.Http.GetStringAsync($"/webhooks?mode=test&delivery={state.Delivery.Id}");
        Assert.DoesNotContain(state.Delivery.Id, table + page);
        Assert.DoesNotContain(state.Endpoint.Url, table + page);

        Assert.Equal(state, await StateAsync(victim, state));
    }

    [Fact]
    public async Task An_endpoint_of_the_other_mode_is_404_too()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var live = await client.CreatedEndpointAsync(app.Store, "http://127.0.0.1:9/live-only", "live");

        Assert.Equal(HttpStatusCode.NotFound, (await client.HtmxGetAsync($"/webhooks/endpoints/{live.Id}/edit?mode=test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.HtmxPostAsync($"/webhooks/endpoints/{live.Id}/test?mode=test")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.HtmxGetAsync($"/webhooks/endpoints/{live.Id}/edit?mode=live")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_sees_the_page_but_every_change_is_forbidden()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var state = await ArrangeAsync(client, org.Org.Id);
        await app.Store.SetRoleAsync(email, Role.Viewer);

        var page = await client.Http.GetStringAsync("/webhooks");
        Assert.Contains(state.Endpoint.Url, page);
        Assert.Contains("Your role is Viewer", page);
        Assert.DoesNotContain("Add endpoint", page);
        Assert.DoesNotContain("Send test event", page);
        Assert.Equal(HttpStatusCode.OK, (await client.HtmxGetAsync(Fill("/webhooks/deliveries/{delivery}?mode=test", state))).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxGetAsync("/webhooks/endpoints/new?mode=test")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.CreateEndpointAsync("http://127.0.0.1:9/sneaky")).StatusCode);
        foreach (var path in ReadRoutes.Where(p => !p.StartsWith("/webhooks/deliveries/")))
            Assert.True(HttpStatusCode.Forbidden == (await client.HtmxGetAsync(Fill(path, state))).StatusCode, path);
        foreach (var (path, fields) in ChangeRoutes)
        {
            var response = await client.HtmxPostAsync(Fill(path, state), fields.Select(f => new KeyValuePair<string, string>(f.Key, Fill(f.Value, state))));
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
        Assert.Equal(state, await StateAsync(org.Org.Id, state));
    }

    [Fact]
    public async Task Every_change_route_needs_the_antiforgery_token()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var state = await ArrangeAsync(client, org.Org.Id);

        var routes = ChangeRoutes.Append(("/webhooks/endpoints?mode=test", [new("url", "http://127.0.0.1:9/forged"), new("enabled_events", "*")]));
        foreach (var (path, fields) in routes)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Fill(path, state))
            {
                Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, Fill(f.Value, state)))),
            };
            request.Headers.Add("HX-Request", "true");
            var response = await client.Http.SendAsync(request);
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        }
        Assert.Equal(state, await StateAsync(org.Org.Id, state));
    }

    private sealed record State(WebhookEndpoint Endpoint, WebhookDelivery Delivery, string EventId, string Fingerprint);

    private async Task<(string OrgId, State State)> VictimAsync()
    {
        var victim = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await victim.SignUpNewAsync("Victim Co"));
        return (org.Org.Id, await ArrangeAsync(victim, org.Org.Id));
    }

    /// <summary>An endpoint with a failed delivery: something every route could change.</summary>
    private async Task<State> ArrangeAsync(DashboardClient client, string orgId)
    {
        var endpoint = await client.CreatedEndpointAsync(app.Store, $"http://127.0.0.1:9/{Guid.NewGuid():N}");
        var (evt, delivery) = await app.Store.StoreDeliveryAsync(endpoint, DeliveryStatus.Failed, attempts: WebhookPage.Attempt(500));
        return await StateAsync(orgId, new State(endpoint, delivery, evt.Id, ""));
    }

    /// <summary>What the org owns now, as one string: endpoints, deliveries and audit entries.</summary>
    private async Task<State> StateAsync(string orgId, State state)
    {
        await using var session = app.Store.QuerySession();
        var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.OrgId == orgId).OrderBy(e => e.Id).ToJsonArray();
        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.OrgId == orgId).OrderBy(d => d.Id).ToJsonArray();
        var audit = await session.Query<AuditEntry>().Where(e => e.OrgId == orgId).CountAsync();
        return state with { Fingerprint = $"{endpoints}|{deliveries}|{audit}" };
    }

    private static string Fill(string path, State state) => path
        .Replace("{endpoint}", state.Endpoint.Id).Replace("{delivery}", state.Delivery.Id).Replace("{event}", state.EventId);
}
