using System.Net;
using System.Text.Json;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

/// <summary>The key and audit-log routes in the v1 OpenAPI document: tagged, with examples the API accepts.</summary>
public sealed class DocsTests(NexusApp<DocsTests> app) : IClassFixture<NexusApp<DocsTests>>
{
    [Theory]
    [InlineData("/api/v1/keys", "get", "API keys")]
    [InlineData("/api/v1/keys", "post", "API keys")]
    [InlineData("/api/v1/keys/{id}", "get", "API keys")]
    [InlineData("/api/v1/keys/{id}", "post", "API keys")]
    [InlineData("/api/v1/keys/{id}/roll", "post", "API keys")]
    [InlineData("/api/v1/keys/{id}/revoke", "post", "API keys")]
    [InlineData("/api/v1/audit-log", "get", "Audit log")]
    [InlineData("/api/v1/audit-log/{id}", "get", "Audit log")]
    public async Task Each_route_is_tagged_described_and_has_a_response_example(string path, string method, string tag)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal([tag], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("admin:all", operation.GetProperty("description").GetString());
        var success = operation.GetProperty("responses").EnumerateObject().Single(r => r.Name.StartsWith('2'));
        Assert.True(success.Value.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        Assert.Contains("403", operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task The_roll_body_is_optional_and_documented_with_an_example()
    {
        var roll = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/v1/keys/{id}/roll").GetProperty("post");

        var body = roll.GetProperty("requestBody");
        Assert.False(body.TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.Equal(1440, body.GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("grace_period_minutes").GetInt32());
    }

    [Fact]
    public async Task The_documented_create_example_is_accepted_and_answers_with_the_documented_fields()
    {
        var create = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/v1/keys").GetProperty("post");
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());

        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys", example.GetRawText()), HttpStatusCode.Created);

        var documented = create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(ApiAssert.Names(documented), ApiAssert.Names(created));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }
}
