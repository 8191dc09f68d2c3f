using System.Net;
using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// A client can put its key or a signing secret anywhere: a path segment, a parameter or field name,
/// a value, its user agent. An error that quotes the input, and the request's log, must not carry it back.
/// </summary>
public sealed class SecretEchoTests(NexusApp<SecretEchoTests> app) : IClassFixture<NexusApp<SecretEchoTests>>
{
    private const string Secret = "whsec_MfKQ9r2GF2Q5x6kVb6zSgGRlq1Ui0yF8";

    private async Task<(string Key, HttpClient Client)> ClientAsync()
    {
        var org = await app.CreateOrgAsync(plan: Nexus.Shared.Accounts.Plan.Pro);
        var (plaintext, _) = await org.CreateKeyAsync();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
        return (plaintext, client);
    }

    public static TheoryData<string, string, string?> Echoes() => new()
    {
        { "GET", "/api/v1/notes/{key}", null },
        { "GET", "/api/v2/notes?{key}=1", null },
        { "POST", "/api/v1/customers", """{"email":"a@example.com","{key}":1}""" },
        { "POST", "/api/v1/events", """{"type":"{key}","data":{}}""" },
        { "POST", "/api/v1/webhook-endpoints", """{"url":"https://example.com/h","enabled_events":["{secret}"]}""" },
        { "POST", "/api/v1/webhook-endpoints", """{"url":"https://example.com/h","{secret}":1}""" },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task An_error_quoting_the_input_masks_a_key_or_secret_in_it(string method, string path, string? body)
    {
        var (key, client) = await ClientAsync();
        using (client)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{key}", key));
            if (body is not null) request.Content = NoteData.Json(body.Replace("{key}", key).Replace("{secret}", Secret));

            var response = await client.SendAsync(request);

            Assert.InRange((int)response.StatusCode, 400, 404);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(key[..^6], text);
            Assert.DoesNotContain(Secret[..^4], text);
            Assert.Contains(SecretText.Mask, text);
        }
    }

    [Fact]
    public async Task The_request_log_masks_a_key_or_secret_in_the_path_or_user_agent()
    {
        var (key, client) = await ClientAsync();
        using (client)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd($"acme/{key}");
            client.DefaultRequestHeaders.UserAgent.ParseAdd($"({Secret})");

            var response = await client.GetAsync($"/api/v1/notes/{key}x{Secret}");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var log = await app.LoggedRequestAsync(ApiAssert.RequestId(response));
            Assert.Equal("/api/v1/notes/[redacted]x[redacted]", log.Path);
            Assert.Equal("acme/[redacted] ([redacted])", log.UserAgent);
            Assert.DoesNotContain(key[..^6], JsonSerializer.Serialize(log));
        }
    }
}
