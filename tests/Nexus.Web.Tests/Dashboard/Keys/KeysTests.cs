using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Keys;

public sealed class KeysTests(NexusApp<KeysTests> app) : IClassFixture<NexusApp<KeysTests>>
{
    [Fact]
    public async Task A_created_key_is_shown_once_and_only_its_hash_is_stored()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();

        var response = await client.CreateKeyAsync("Billing worker", "live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("keys-changed", response.Headers.GetValues("HX-Trigger").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, "the response with the plaintext key must not be cached");
        var plaintext = DashboardClient.ShownKey(await response.Content.ReadAsStringAsync());
        Assert.Matches("^nx_live_[0-9A-Za-z]{30}$", plaintext);

        await using var session = app.Store.QuerySession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        var key = await session.Query<ApiKey>().SingleAsync(k => k.Name == "Billing worker");
        Assert.Equal(app.Services.GetRequiredService<KeyHasher>().Hash(plaintext), key.KeyHash);
        Assert.Equal(plaintext[..14], key.Prefix);
        Assert.Equal((Mode.Live, KeyKind.Secret, user.Id), (key.Mode, key.Kind, key.CreatedByUserId));
        Assert.Equal(KeyScopes.DefaultFor(KeyKind.Secret), key.Scopes);
        Assert.True(Ids.IsWellFormed(key.Id, "key"));
        Assert.DoesNotContain(plaintext, (await session.Query<ApiKey>().ToJsonArray()));
        Assert.DoesNotContain(plaintext, (await session.Query<AuditEntry>().ToJsonArray()));

        var page = await client.Http.GetStringAsync("/keys?mode=live");
        var table = await client.Http.GetStringAsync("/keys/table?mode=live");
        var audit = await client.Http.GetStringAsync("/audit?mode=live");
        Assert.DoesNotContain(plaintext, page + table + audit);
        Assert.Contains(key.Prefix + "…", table);
    }

    [Fact]
    public async Task A_key_can_be_created_with_every_setting_and_the_audit_log_records_who_did_it()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var expiry = DateTime.UtcNow.Date.AddDays(30);

        var response = await client.CreateKeyAsync(
        [
            new("name", "  Storefront widget  "), new("kind", "publishable"), new("mode", "live"),
            new("scopes", "read:notes"), new("scopes", "read:events"),
            new("expires_at", expiry.ToString("yyyy-MM-dd")),
            new("allowed_ips", "203.0.113.0/24\r\n\r\n2001:db8::1\n198.51.100.7"),
            new("rate_limit_per_minute", "5"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^nx_pk_live_", DashboardClient.ShownKey(await response.Content.ReadAsStringAsync()));
        var key = await app.Store.KeyNamedAsync(org.Org.Id, "Storefront widget");
        Assert.Equal((KeyKind.Publishable, Mode.Live), (key.Kind, key.Mode));
        Assert.Equal(["read:notes", "read:events"], key.Scopes);
        Assert.Equal(["203.0.113.0/24", "2001:db8::1/128", "198.51.100.7/32"], key.AllowedIps);
        Assert.Equal(5, key.RateLimitPerMinute);
        Assert.Equal(new DateTimeOffset(expiry, TimeSpan.Zero), key.ExpiresAt);

        await using var session = app.Store.QuerySession();
        var entry = await session.Query<AuditEntry>().SingleAsync(e => e.OrgId == org.Org.Id);
        Assert.Equal((AuditActions.KeyCreated, AuditActor.UserType, email, key.Id), (entry.Action, entry.ActorType, entry.ActorLabel, entry.TargetId));
        Assert.Contains(entry.Changes, c => c.Field == "scopes" && c.After == "read:notes read:events");
    }

    public static TheoryData<string, string[], string, string> InvalidForms => new()
    {
        { "name", ["name=", "kind=secret", "mode=test", "scopes=read:notes"], "Give the key a name", "" },
        { "name", ["name=" + new string('x', 61), "kind=secret", "mode=test", "scopes=read:notes"], "at most 60 characters", new string('x', 61) },
        { "name", ["name=Rack\t2", "kind=secret", "mode=test", "scopes=read:notes"], "no line breaks, tabs or other control characters", "Rack" },
        { "kind", ["name=Kindless", "kind=private", "mode=test", "scopes=read:notes"], "Choose a secret or a publishable key.", "Kindless" },
        { "mode", ["name=Modeless", "kind=secret", "mode=production", "scopes=read:notes"], "Choose test or live.", "Modeless" },
        { "scopes", ["name=No scopes", "kind=secret", "mode=test"], "at least one scope", "No scopes" },
        // Forged: the form offers only known scopes.
        { "scopes", ["name=Forged", "kind=secret", "mode=test", "scopes=read:notes", "scopes=read:everything"], "Unknown scope &#x27;read:everything&#x27;", "Forged" },
        { "scopes", ["name=Widget", "kind=publishable", "mode=test", "scopes=write:notes"], "Publishable keys can hold only read scopes", "Widget" },
        { "allowed_ips", ["name=Office only", "kind=secret", "mode=test", "scopes=read:notes", "allowed_ips=10.0.0.0/8\n10.0.0.0/33"], "&#x27;10.0.0.0/33&#x27; is not an IP address or CIDR range", "10.0.0.0/33" },
        { "expires_at", ["name=Old", "kind=secret", "mode=test", "scopes=read:notes", "expires_at=2020-01-01"], "The expiry must be in the future.", "2020-01-01" },
        { "expires_at", ["name=Garbled", "kind=secret", "mode=test", "scopes=read:notes", "expires_at=next tuesday"], "Enter a date like", "next tuesday" },
        { "rate_limit_per_minute", ["name=Greedy", "kind=secret", "mode=test", "scopes=read:notes", "rate_limit_per_minute=11"], "between 1 and your plan&#x27;s 10", "11" },
        { "rate_limit_per_minute", ["name=Zero", "kind=secret", "mode=test", "scopes=read:notes", "rate_limit_per_minute=0"], "between 1 and your plan&#x27;s 10", "Zero" },
        { "rate_limit_per_minute", ["name=Words", "kind=secret", "mode=test", "scopes=read:notes", "rate_limit_per_minute=lots"], "Enter a whole number", "lots" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task An_invalid_key_form_comes_back_with_the_message_next_to_its_field_and_nothing_is_stored(
        string field, string[] fields, string message, string typed)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.CreateKeyAsync(fields.Select(f => f.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex($"""<p id="{field}-error" class="field-error[^"]*">[^<]*{Regex.Escape(message)}"""), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(typed), html);
        Assert.DoesNotContain("new-key-value", html);
        Assert.False(response.Headers.Contains("HX-Trigger"));
        Assert.Empty(await app.Store.KeysOfAsync(org.Org.Id));
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<AuditEntry>().AnyAsync(e => e.OrgId == org.Org.Id));
    }

    /// <summary>A page sends each text field once; joined, name=Rack&amp;name=2 was stored as a key named "Rack,2".</summary>
    [Theory]
    [InlineData("name", "name")]
    [InlineData("name", "NAME")]
    [InlineData("rate_limit_per_minute", "rate_limit_per_minute")]
    public async Task A_one_value_field_sent_twice_is_refused_and_nothing_is_stored(string first, string second)
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());

        var response = await client.CreateKeyAsync([new("name", "Rack"), new("kind", "secret"), new("mode", "test"), new("scopes", "read:notes"),
            new(first, "2"), new(second, "3")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Nexus.Web.Dashboard.RepeatedFieldCheck.Message, Assert.Single(response.Headers.GetValues(Nexus.Web.Infrastructure.Http.NulCharacterGuard.MessageHeader)));
        Assert.Empty(await app.Store.KeysOfAsync(org.Org.Id));
    }

    [Fact]
    public async Task Ticked_scopes_repeat_their_field_as_a_list_may()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());

        var response = await client.CreateKeyAsync([new("name", "Reader"), new("kind", "secret"), new("mode", "test"), new("scopes", "read:notes"), new("scopes", "read:events")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["read:events", "read:notes"], Assert.Single(await app.Store.KeysOfAsync(org.Org.Id)).Scopes.Order());
    }

    [Fact]
    public async Task The_26th_active_key_is_refused_with_a_message_on_the_form()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        for (var i = 0; i < KeyRules.MaxActiveKeysPerOrg; i++) await org.CreateKeyAsync(name: $"key {i}");

        var response = await client.CreateKeyAsync("One too many");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("""class="alert-error[^>]*>.*already has 25 active keys""", RegexOptions.Singleline), html);
        Assert.Contains("One too many", html);
        Assert.Equal(KeyRules.MaxActiveKeysPerOrg, (await app.Store.KeysOfAsync(org.Org.Id)).Count);
    }

    [Fact]
    public async Task The_created_key_works_against_the_api_until_it_is_revoked()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var plaintext = DashboardClient.ShownKey(await (await client.CreateKeyAsync("CI")).Content.ReadAsStringAsync());
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", plaintext);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/notes")).StatusCode);

        var id = await KeyIdAsync("CI");
        var revoke = await client.HtmxPostAsync($"/keys/{id}/revoke");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var table = await revoke.Content.ReadAsStringAsync();
        Assert.Matches(new Regex($"""data-key-id="{id}" data-status="revoked".*?Revoked""", RegexOptions.Singleline), table);
        Assert.DoesNotMatch(new Regex($"""data-key-id="{id}".*?hx-post""", RegexOptions.Singleline), table);

        var afterRevoke = await api.GetAsync("/api/v1/notes");
        await ApiAssert.ErrorAsync(afterRevoke, HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Revoking_needs_no_form_body_only_the_token_header()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.CreateKeyAsync("Bodiless");
        var id = await KeyIdAsync("Bodiless");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/keys/{id}/revoke");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", await client.TokenFromAsync("/keys"));

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var session = app.Store.QuerySession();
        Assert.NotNull((await session.LoadAsync<ApiKey>(id))!.RevokedAt);
    }

    [Fact]
    public async Task Another_orgs_key_is_not_listed_and_cannot_be_rolled_or_revoked()
    {
        var other = await app.CreateOrgAsync("Other Org");
        var (_, otherKey) = await other.CreateKeyAsync(name: "their key");
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync("Mine Inc");
        await client.CreateKeyAsync("my key");

        var table = await client.Http.GetStringAsync("/keys/table");
        var page = await client.Http.GetStringAsync("/keys");
        var revoke = await client.HtmxPostAsync($"/keys/{otherKey.Id}/revoke");
        var rollForm = await client.HtmxGetAsync($"/keys/{otherKey.Id}/roll");
        var roll = await client.HtmxPostAsync($"/keys/{otherKey.Id}/roll", [new("grace_minutes", "60")]);
        var missing = await client.HtmxPostAsync("/keys/key_doesnotexist/revoke");

        Assert.Contains("my key", table);
        Assert.DoesNotContain(otherKey.Id, table + page);
        Assert.DoesNotContain(otherKey.Prefix, table + page);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rollForm.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, roll.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var theirs = await app.Store.KeysOfAsync(other.Org.Id);
        var stored = Assert.Single(theirs);
        Assert.Equal((null, null, null), (stored.RevokedAt, stored.RolledToKeyId, stored.GraceEndsAt));
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<AuditEntry>().AnyAsync(e => e.OrgId == other.Org.Id));
    }

    [Fact]
    public async Task A_viewer_sees_the_keys_but_every_change_is_forbidden()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var (_, key) = await org.CreateKeyAsync(name: "Shared key");
        await app.Store.SetRoleAsync(email, Role.Viewer);

        var page = await client.Http.GetStringAsync("/keys");
        var table = await client.Http.GetStringAsync("/keys/table");
        var token = await client.TokenFromAsync("/keys");

        Assert.Contains("Shared key", table);
        Assert.Contains("Your role is Viewer", page);
        Assert.DoesNotContain("hx-post", page + table);
        Assert.DoesNotContain("/keys/new", page + table);
        Assert.DoesNotContain($"/keys/{key.Id}/roll", page + table);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxGetAsync("/keys/new")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxPostAsync("/keys", [new("name", "Sneaky"), new("kind", "secret"), new("mode", "test"), new("scopes", "read:notes")], token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxGetAsync($"/keys/{key.Id}/roll")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxPostAsync($"/keys/{key.Id}/roll", [new("grace_minutes", "0")], token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.HtmxPostAsync($"/keys/{key.Id}/revoke", [], token)).StatusCode);

        var stored = Assert.Single(await app.Store.KeysOfAsync(org.Org.Id));
        Assert.Equal((null, null), (stored.RevokedAt, stored.RolledToKeyId));
    }

    [Theory]
    [InlineData(Role.Developer)]
    [InlineData(Role.Admin)]
    public async Task Developers_and_admins_may_manage_keys(Role role)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        await app.Store.SetRoleAsync(email, role);

        var created = await client.CreateKeyAsync($"{role} key");
        var id = await KeyIdAsync($"{role} key");
        var revoked = await client.HtmxPostAsync($"/keys/{id}/revoke");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
    }

    [Fact]
    public async Task The_table_shows_the_modes_keys_with_kind_scopes_and_status()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        await client.CreateKeyAsync("test one", "test");
        await client.CreateKeyAsync("live one", "live");
        await org.CreateKeyAsync(Mode.Test, KeyKind.Publishable, "browser one", ["read:notes"]);
        await org.CreateKeyAsync(Mode.Test, KeyKind.Secret, "admin one", ["read:notes", "write:notes", "admin:all"]);
        await client.HtmxPostAsync($"/keys/{await KeyIdAsync("test one")}/revoke");

        var table = await client.Http.GetStringAsync("/keys/table?mode=test");
        var live = await client.Http.GetStringAsync("/keys/table?mode=live");

        Assert.Matches(new Regex("""browser one.*?Publishable.*?read:notes.*?Active""", RegexOptions.Singleline), table);
        Assert.Matches(new Regex("""test one.*?Secret.*?Revoked.*?Never""", RegexOptions.Singleline), table);
        // The scope that grants everything is the one shown, however the key's scopes are ordered.
        Assert.Matches(new Regex("""admin one.*?Secret.*?<code class="scope-chip">admin:all</code>\s*<span class="scope-chip scope-more">\+2 more</span>""", RegexOptions.Singleline), table);
        Assert.True(table.IndexOf("browser one", StringComparison.Ordinal) < table.IndexOf("test one", StringComparison.Ordinal), "revoked keys go last");
        Assert.DoesNotContain("live one", table);
        Assert.Matches(new Regex("""live one.*?Secret.*?read:notes.*?\+8 more.*?Active.*?Never""", RegexOptions.Singleline), live);
        Assert.DoesNotContain("test one", live);
        Assert.DoesNotContain("browser one", live);
    }

    private async Task<string> KeyIdAsync(string name)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<ApiKey>().SingleAsync(k => k.Name == name)).Id;
    }
}
