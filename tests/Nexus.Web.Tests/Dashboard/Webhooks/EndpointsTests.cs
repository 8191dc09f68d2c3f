using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>The endpoints panel of the Webhooks page: create, edit, enable/disable, secrets, delete, and bad input.</summary>
public sealed class EndpointsTests(NexusApp<EndpointsTests> app) : IClassFixture<NexusApp<EndpointsTests>>
{
    [Fact]
    public async Task A_created_endpoint_shows_its_secret_once_and_stores_it_only_encrypted()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.CreateEndpointAsync(WebhookPage.Url, "test", "Billing service", EventCatalog.NoteCreated, EventCatalog.KeyRevoked);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("endpoints-changed", response.Headers.GetValues("HX-Trigger").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, "the response with the secret must not be cached");
        var secret = WebhookPage.ShownSecret(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("whsec_", secret);
        var endpoint = Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id));
        Assert.Equal((WebhookPage.Url, "Billing service", Shared.Common.Mode.Test, true), (endpoint.Url, endpoint.Description, endpoint.Mode, endpoint.Enabled));
        Assert.Equal([EventCatalog.NoteCreated, EventCatalog.KeyRevoked], endpoint.EventTypes);
        Assert.Equal(secret, app.Services.GetRequiredService<SecretBox>().Decrypt(endpoint.SecretCiphertext));

        await using var session = app.Store.QuerySession();
        Assert.DoesNotContain(secret, await session.Query<WebhookEndpoint>().ToJsonArray());
        Assert.DoesNotContain(secret, await session.Query<AuditEntry>().ToJsonArray());
        Assert.Contains(await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id).ToListAsync(),
            e => e.Action == AuditActions.EndpointCreated && e.TargetId == endpoint.Id && e.ActorLabel == email);

        var page = await client.Http.GetStringAsync("/webhooks");
        var list = await client.Http.GetStringAsync("/webhooks/endpoints?mode=test");
        Assert.DoesNotContain(secret, page + list);
        Assert.Contains(WebhookPage.Url, list);
        Assert.Contains("Billing service", list);
        Assert.DoesNotContain(WebhookPage.Url, await client.Http.GetStringAsync("/webhooks/endpoints?mode=live"));
    }

    [Fact]
    public async Task The_url_help_states_what_this_deployment_allows_and_localhost_is_accepted_like_127_0_0_1()
    {
        // The tests' settings, like development's: plain http and loopback allowed.
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());

        var form = await (await client.HtmxGetAsync("/webhooks/endpoints/new?mode=test")).Content.ReadAsStringAsync();

        Assert.Contains("HTTPS or plain HTTP, on a public address or in 127.0.0.0/8 (localhost too), as this deployment&#x27;s settings allow.", form);
        Assert.Equal(HttpStatusCode.OK, (await client.CreateEndpointAsync("http://localhost:9/hooks/nexus")).StatusCode);
        Assert.Equal("http://localhost:9/hooks/nexus", Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id)).Url);
    }

    public static TheoryData<string, string[], string, string> InvalidForms => new()
    {
        { "http://169.254.169.254/latest/meta-data", ["*"], "url", "private, loopback or reserved" },
        { "http://10.0.0.7/hook", ["*"], "url", "private, loopback or reserved" },
        { "ftp://example.com/hook", ["*"], "url", "http:// or https://" },
        { "", ["*"], "url", "Enter the URL" },
        { WebhookPage.Url, ["note.exploded"], "enabled_events", "is not an event type" },
        { WebhookPage.Url, [], "enabled_events", "Choose the events to send" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task An_invalid_endpoint_form_comes_back_with_the_message_next_to_its_field_and_stores_nothing(string url, string[] events, string field, string message)
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());

        var response = await client.HtmxPostAsync("/webhooks/endpoints?mode=test",
            [new("url", url), .. events.Select(e => new KeyValuePair<string, string>("enabled_events", e))]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"{field}-error\"", html);
        Assert.Contains(WebUtility.HtmlEncode(message), html);
        Assert.Contains(WebUtility.HtmlEncode(url), html);
        Assert.Empty(await app.Store.EndpointsOfAsync(org.Org.Id));
    }

    [Fact]
    public async Task A_description_with_a_tab_comes_back_with_the_message_next_to_it_and_stores_nothing()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());

        var response = await client.CreateEndpointAsync(description: "Orders\tEU");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"description-error\"", html);
        Assert.Contains("no line breaks, tabs or other control characters", html);
        Assert.Empty(await app.Store.EndpointsOfAsync(org.Org.Id));
    }

    [Fact]
    public async Task Editing_disabling_enabling_and_deleting_go_through_the_manager_and_are_audited()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var endpoint = await client.CreatedEndpointAsync(app.Store);

        var form = await client.HtmxGetAsync($"/webhooks/endpoints/{endpoint.Id}/edit?mode=test");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("value=\"" + WebhookPage.Url + "\"", await form.Content.ReadAsStringAsync());
        var edit = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}?mode=test",
            [new("url", "http://127.0.0.2:9/moved"), new("description", "Moved"), new("enabled_events", EventCatalog.NoteDeleted)]);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal("endpoints-changed", edit.Headers.GetValues("HX-Trigger").Single());

        var blocked = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}?mode=test",
            [new("url", "http://192.168.1.1/"), new("enabled_events", "*")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blocked.StatusCode);

        var disable = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/enabled?mode=test", [new("enabled", "false")]);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Contains("Disabled", await disable.Content.ReadAsStringAsync());
        var stored = Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id));
        Assert.Equal(("http://127.0.0.2:9/moved", "Moved", false), (stored.Url, stored.Description, stored.Enabled));
        Assert.Equal([EventCatalog.NoteDeleted], stored.EventTypes);

        Assert.Equal(HttpStatusCode.OK, (await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/enabled?mode=test", [new("enabled", "true")])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/enabled?mode=test", [new("enabled", "maybe")])).StatusCode);
        Assert.True(Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id)).Enabled);

        var delete = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/delete?mode=test");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("No test webhook endpoints yet", await delete.Content.ReadAsStringAsync());
        Assert.True(Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id)).Deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await client.HtmxGetAsync($"/webhooks/endpoints/{endpoint.Id}/edit?mode=test")).StatusCode);

        await using var session = app.Store.QuerySession();
        var actions = await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id).OrderBy(e => e.At).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.EndpointCreated, AuditActions.EndpointUpdated, AuditActions.EndpointUpdated, AuditActions.EndpointUpdated, AuditActions.EndpointDeleted], actions);
    }

    [Fact]
    public async Task The_rotate_form_offers_the_key_rolls_grace_presets_with_24_hours_chosen()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var endpoint = await client.CreatedEndpointAsync(app.Store);

        var form = await client.HtmxGetAsync($"/webhooks/endpoints/{endpoint.Id}/rotate?mode=test");

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        var choices = System.Text.RegularExpressions.Regex.Matches(html, """name="grace_hours" value="(\d+)" class="sr-only"(?: checked="checked")? />\s*([^<]+?)\s*</label>""")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));
        Assert.Equal([("0", "Now"), ("1", "In 1 hour"), ("24", "In 24 hours"), ("72", "In 3 days"), ("168", "In 7 days")], choices);
        Assert.Contains("""name="grace_hours" value="24" class="sr-only" checked="checked" """, html);
        Assert.DoesNotContain("type=\"number\"", html);
    }

    [Fact]
    public async Task Rotating_with_a_grace_that_is_not_offered_is_refused_and_keeps_the_secret()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var endpoint = await client.CreatedEndpointAsync(app.Store);

        foreach (var grace in new[] { "169", "48", "-1", "abc", "" })
        {
            var refused = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/rotate?mode=test", [new("grace_hours", grace)]);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("Choose when the old secret stops signing.", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(endpoint.SecretCiphertext, (await ReloadAsync(endpoint)).SecretCiphertext);

        var rotated = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/rotate?mode=test", [new("grace_hours", "72")]);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var html = await rotated.Content.ReadAsStringAsync();
        var secret = WebhookPage.ShownSecret(html);
        Assert.Contains("The old secret keeps signing too", html);
        var after = await ReloadAsync(endpoint);
        Assert.Equal(secret, app.Services.GetRequiredService<SecretBox>().Decrypt(after.SecretCiphertext));
        Assert.Equal(endpoint.SecretCiphertext, after.PreviousSecretCiphertext);
        Assert.InRange(after.PreviousSecretExpiresAt!.Value, DateTimeOffset.UtcNow.AddHours(71.9), DateTimeOffset.UtcNow.AddHours(72));
    }

    [Fact]
    public async Task Owners_and_admins_reveal_the_secret_and_are_audited_developers_may_not()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var created = await client.CreateEndpointAsync();
        var secret = WebhookPage.ShownSecret(await created.Content.ReadAsStringAsync());
        var endpoint = Assert.Single(await app.Store.EndpointsOfAsync(org.Org.Id));

        var reveal = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/reveal?mode=test");

        Assert.Equal(HttpStatusCode.OK, reveal.StatusCode);
        Assert.True(reveal.Headers.CacheControl?.NoStore);
        Assert.Equal(secret, WebhookPage.ShownSecret(await reveal.Content.ReadAsStringAsync()));
        await using (var session = app.Store.QuerySession())
            Assert.True(await session.Query<AuditEntry>().AnyAsync(e => e.OrgId == org.Org.Id && e.Action == AuditActions.EndpointSecretRevealed && e.TargetId == endpoint.Id));
        Assert.Contains("Reveal secret", await client.Http.GetStringAsync("/webhooks"));

        await app.Store.SetRoleAsync(email, Role.Developer);
        var refused = await client.HtmxPostAsync($"/webhooks/endpoints/{endpoint.Id}/reveal?mode=test");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(secret, await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Reveal secret", await client.Http.GetStringAsync("/webhooks"));
    }

    [Fact]
    public async Task The_21st_endpoint_of_a_mode_is_refused_with_a_message_on_the_form()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        for (var i = 0; i < WebhookEndpoint.MaxPerOrgAndMode; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.CreateEndpointAsync($"http://127.0.0.1:9/hook{i}")).StatusCode);

        var refused = await client.CreateEndpointAsync("http://127.0.0.1:9/one-too-many");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("the most it may have", await refused.Content.ReadAsStringAsync());
        Assert.Equal(WebhookEndpoint.MaxPerOrgAndMode, (await app.Store.EndpointsOfAsync(org.Org.Id)).Count);
        Assert.Equal(HttpStatusCode.OK, (await client.CreateEndpointAsync("http://127.0.0.1:9/live-is-separate", "live")).StatusCode);
    }

    private async Task<WebhookEndpoint> ReloadAsync(WebhookEndpoint endpoint)
    {
        await using var session = app.Store.QuerySession();
        return (await session.LoadAsync<WebhookEndpoint>(endpoint.Id))!;
    }
}
