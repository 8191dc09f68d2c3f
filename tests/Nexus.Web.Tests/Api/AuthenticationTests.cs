using System.Net;
using System.Net.Http.Headers;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

public sealed class AuthenticationTests(NexusApp<AuthenticationTests> app) : IClassFixture<NexusApp<AuthenticationTests>>
{
    public static TheoryData<string, string> Routes => ApiRoutes.AllRoutes();

    /// <summary>Keys that must fail before any lookup, each against every route.</summary>
    public static TheoryData<string, string, string> InvalidKeys()
    {
        var valid = KeyFormat.Generate(KeyKind.Secret, Mode.Test);
        var last = valid[^1] == 'a' ? 'b' : 'a';
        var keys = new Dictionary<string, string>
        {
            ["garbage"] = "garbage",
            ["wrong checksum"] = valid[..^1] + last,
            ["one character changed"] = valid[..10] + (valid[10] == 'x' ? 'y' : 'x') + valid[11..],
            ["truncated"] = valid[..^1],
            ["extended"] = valid + "a",
            ["other prefix"] = "sk_test_" + valid["nx_test_".Length..],
            ["upper-case prefix"] = "NX_TEST_" + valid["nx_test_".Length..],
            ["very long"] = "nx_test_" + new string('a', 5000),
            ["never issued"] = KeyFormat.Generate(KeyKind.Secret, Mode.Test),
        };
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path) in ApiRoutes.All)
            foreach (var (name, key) in keys)
                data.Add(method, path, name + ": " + key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_valid_key_is_accepted_on_every_route(string method, string path)
    {
        var org = await app.CreateOrgAsync();
        var targets = await ApiRoutes.SeedAsync(org);
        var (key, _) = await org.CreateKeyAsync(scopes: [ApiRoutes.ScopeFor(method, path)]);
        using var client = app.CreateClient().WithKey(key);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets));

        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        ApiAssert.RequestId(response);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task No_key_is_api_key_missing_and_changes_nothing(string method, string path)
    {
        var (org, note, _) = await OrgWithNoteAsync();
        using var client = app.CreateClient();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_missing");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task A_malformed_or_unknown_key_is_api_key_invalid_and_never_echoed(string method, string path, string namedKey)
    {
        var key = namedKey[(namedKey.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var (org, note, _) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_invalid");
        Assert.DoesNotContain(key, error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    public async Task An_empty_bearer_token_is_rejected_with_the_expected_form(string header)
    {
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request);

        // Header parsing trims "Bearer " to "Bearer": no scheme-and-token pair, so the answer shows the expected form.
        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_wrong_header");
        Assert.Contains("Authorization: Bearer <key>", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Two_authorization_headers_are_api_key_wrong_header_saying_so_even_with_good_keys()
    {
        var (org, note, key) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notes");
        request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {key}", $"Bearer {key}"]);

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_wrong_header");
        Assert.Equal("Send one Authorization header; this request has 2.", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_key_in_the_x_api_key_header_is_api_key_wrong_header(string method, string path)
    {
        var (org, note, key) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        var request = ApiRoutes.Request(method, path, note.Id);
        request.Headers.Add("X-Api-Key", key);

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_wrong_header");
        Assert.DoesNotContain(key, error.GetRawText());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_key_in_the_query_string_is_api_key_wrong_header(string method, string path)
    {
        var (org, note, key) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        var request = ApiRoutes.Request(method, path + "?api_key=" + key, note.Id);

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_wrong_header");
        Assert.DoesNotContain(key, error.GetRawText());
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Token")]
    [InlineData("")]
    public async Task A_key_under_another_authorization_scheme_is_api_key_wrong_header(string scheme)
    {
        var (_, _, key) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notes");
        request.Headers.TryAddWithoutValidation("Authorization", scheme.Length == 0 ? key : $"{scheme} {key}");

        var response = await client.SendAsync(request);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_wrong_header");
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive()
    {
        var (_, _, key) = await OrgWithNoteAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", key);

        var response = await client.GetAsync("/api/v2/notes");

        await ApiAssert.OkAsync(response);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_revoked_key_is_api_key_revoked_and_changes_nothing(string method, string path)
    {
        var (org, note, _) = await OrgWithNoteAsync();
        // A key revoked before its first use was never cached, so the store's answer is what counts.
        var (key, stored) = await org.CreateKeyAsync(Mode.Test);
        await RevokeAsync(stored);
        using var client = app.CreateClient().WithKey(key);

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_revoked");
        Assert.Contains(stored.Prefix, error.GetProperty("message").GetString());
        Assert.DoesNotContain(key, error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    [Fact]
    public async Task A_key_revoked_after_use_is_refused_once_evicted_from_the_cache()
    {
        var (org, _, _) = await OrgWithNoteAsync();
        var (key, stored) = await org.CreateKeyAsync(Mode.Test);
        using var client = app.CreateClient().WithKey(key);
        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));

        await RevokeAsync(stored);
        app.Services.GetRequiredService<ApiKeyCache>().Evict(stored.KeyHash);

        await ApiAssert.ErrorAsync(await client.GetAsync("/api/v2/notes"), HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Another_orgs_revoked_key_does_not_affect_this_orgs_key()
    {
        var (_, _, key) = await OrgWithNoteAsync();
        var other = await app.CreateOrgAsync("Other");
        var (_, theirs) = await other.CreateKeyAsync(Mode.Test);
        await RevokeAsync(theirs);
        using var client = app.CreateClient().WithKey(key);

        await ApiAssert.OkAsync(await client.GetAsync("/api/v2/notes"));
    }

    [Fact]
    public async Task A_key_only_reaches_its_own_orgs_notes()
    {
        var (_, mine, key) = await OrgWithNoteAsync();
        var (_, theirs, _) = await OrgWithNoteAsync();
        using var client = app.CreateClient().WithKey(key);

        await ApiAssert.OkAsync(await client.GetAsync($"/api/v2/notes/{mine.Id}"));
        await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v2/notes/{theirs.Id}"), HttpStatusCode.NotFound, "resource_missing", "id");
    }

    private async Task<(TestOrg Org, Note Note, string Key)> OrgWithNoteAsync()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var (key, _) = await org.CreateKeyAsync(Mode.Test);
        return (org, note, key);
    }

    private async Task RevokeAsync(ApiKey key)
    {
        key.RevokedAt = DateTimeOffset.UtcNow;
        await using var session = app.Store.LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
    }
}
