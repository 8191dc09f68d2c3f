using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
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
        Assert.True(Ids.IsWellFormed(key.Id, "key"));
        Assert.DoesNotContain(plaintext, (await session.Query<ApiKey>().ToJsonArray()));

        var page = await client.Http.GetStringAsync("/keys");
        var table = await client.Http.GetStringAsync("/keys/table");
        Assert.DoesNotContain(plaintext, page);
        Assert.DoesNotContain(plaintext, table);
        Assert.Contains(key.Prefix + "…", table);
    }

    [Theory]
    [InlineData("", "test", "Give the key a name")]
    [InlineData("   ", "test", "Give the key a name")]
    [InlineData("this name is far too long for a key name because it goes on and on", "test", "Use at most 60 characters.")]
    [InlineData("Valid name", "production", "Choose test or live.")]
    public async Task An_invalid_key_form_is_shown_again_with_the_reason_and_nothing_is_stored(string name, string mode, string message)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();

        var response = await client.CreateKeyAsync(name, mode);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, html);
        Assert.DoesNotContain("new-key-value", html);
        Assert.False(response.Headers.Contains("HX-Trigger"));
        await using var session = app.Store.QuerySession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        Assert.False(await session.Query<ApiKey>().AnyAsync(k => k.CreatedByUserId == user.Id));
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
        var revoke = await client.HtmxPostAsync($"/keys/{id}/revoke", [], await client.TokenFromAsync("/keys"));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var table = await revoke.Content.ReadAsStringAsync();
        Assert.Matches(new Regex($"""data-key-id="{id}".*?Revoked""", RegexOptions.Singleline), table);

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
    public async Task Another_orgs_key_is_not_listed_and_cannot_be_revoked()
    {
        var other = await app.CreateOrgAsync("Other Org");
        var (_, otherKey) = await other.CreateKeyAsync(name: "their key");
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync("Mine Inc");
        await client.CreateKeyAsync("my key");

        var table = await client.Http.GetStringAsync("/keys/table");
        var page = await client.Http.GetStringAsync("/keys");
        var revoke = await client.HtmxPostAsync($"/keys/{otherKey.Id}/revoke", [], await client.TokenFromAsync("/keys"));
        var missing = await client.HtmxPostAsync("/keys/key_doesnotexist/revoke", [], await client.TokenFromAsync("/keys"));

        Assert.Contains("my key", table);
        Assert.DoesNotContain(otherKey.Id, table + page);
        Assert.DoesNotContain(otherKey.Prefix, table + page);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await using var session = app.Store.QuerySession();
        Assert.Null((await session.LoadAsync<ApiKey>(otherKey.Id))!.RevokedAt);
    }

    [Fact]
    public async Task The_table_shows_mode_and_status_of_each_key()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.CreateKeyAsync("test one", "test");
        await client.CreateKeyAsync("live one", "live");
        var id = await KeyIdAsync("test one");
        await client.HtmxPostAsync($"/keys/{id}/revoke", [], await client.TokenFromAsync("/keys"));

        var table = await client.Http.GetStringAsync("/keys/table");

        Assert.Matches(new Regex("""live one.*?badge-live.*?Never.*?Active""", RegexOptions.Singleline), table);
        Assert.Matches(new Regex("""test one.*?badge-test.*?Never.*?Revoked""", RegexOptions.Singleline), table);
    }

    private async Task<string> KeyIdAsync(string name)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<ApiKey>().SingleAsync(k => k.Name == name)).Id;
    }
}
