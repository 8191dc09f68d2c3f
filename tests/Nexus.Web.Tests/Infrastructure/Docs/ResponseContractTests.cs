using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;
using NJsonSchema;

namespace Nexus.Web.Tests.Infrastructure.Docs;

/// <summary>
/// What the API answers is what its OpenAPI document says it answers: for every route, a real
/// request's status is documented and its body validates against that status's schema (objects
/// allow no undocumented field). A client generated from the documents can rely on them.
/// </summary>
public sealed partial class ResponseContractTests(NexusApp<ResponseContractTests> app) : IClassFixture<NexusApp<ResponseContractTests>>
{
    public static TheoryData<string, string> AllRoutes() => ApiRoutes.AllRoutes();

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task A_successful_answer_matches_its_documented_schema(string method, string path)
    {
        var (client, targets) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets));

        Assert.True((int)response.StatusCode < 300, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await AssertDocumentedAsync(method, path, response);
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task An_unknown_query_parameter_answer_matches_the_documented_error_object(string method, string path)
    {
        var (client, targets) = await SetupAsync();
        var request = ApiRoutes.Request(method, path, targets);
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + "?no_such_parameter=1", UriKind.Relative);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertDocumentedAsync(method, path, response);
    }

    [Theory]
    [MemberData(nameof(ObjectRoutes))]
    public async Task A_missing_object_answer_matches_the_documented_error_object(string method, string path)
    {
        var (client, targets) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, MissingId(targets.IdFor(path))));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertDocumentedAsync(method, path, response);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_body_that_is_not_json_gets_the_documented_415(string method, string path)
    {
        var (client, targets) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request(method, path, targets, new StringContent("title=x", System.Text.Encoding.UTF8, "text/plain")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertDocumentedAsync(method, path, response);
    }

    /// <summary>A filter whose values the document lists: each is accepted, and nothing else is.</summary>
    [Theory]
    [InlineData("/api/v1/keys", "status")]
    [InlineData("/api/v1/request-logs", "status")]
    [InlineData("/api/v1/request-logs", "method")]
    [InlineData("/api/v1/usage", "period")]
    [InlineData("/api/v1/audit-log", "action")]
    [InlineData("/api/v1/webhook-deliveries", "status")]
    public async Task A_filter_takes_exactly_the_values_its_document_lists(string path, string parameter)
    {
        // Pro: one request per value, more than the Free plan's 10 a minute.
        var (client, _) = await SetupAsync(Nexus.Shared.Accounts.Plan.Pro);
        var doc = await DocumentAsync("v1");
        var values = doc["paths"]![path]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == parameter)!["schema"]!["enum"]!.AsArray()
            .Select(v => v!.GetValue<string>()).ToList();
        Assert.True(values.Count >= 3, string.Join(", ", values));

        foreach (var value in values)
        {
            var response = await client.GetAsync($"{path}?{parameter}={Uri.EscapeDataString(value)}");
            Assert.True(response.IsSuccessStatusCode, $"{parameter}={value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await AssertDocumentedAsync("GET", path, response);
        }
        var refused = await client.GetAsync($"{path}?{parameter}=not-a-value");
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "parameter_invalid", parameter);
    }

    public static TheoryData<string, string> ObjectRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Path.Contains("{id}"))) data.Add(method, path);
        return data;
    }

    public static TheoryData<string, string> WriteRoutes() => ApiRoutes.WriteRoutes();

    private async Task<(HttpClient Client, ApiRoutes.Targets Targets)> SetupAsync(Nexus.Shared.Accounts.Plan plan = Nexus.Shared.Accounts.Plan.Free)
    {
        var org = await app.CreateOrgAsync(plan: plan);
        var targets = await ApiRoutes.SeedAsync(org);
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]);
        return (client, targets);
    }

    /// <summary>The same prefix and length, an id no object has.</summary>
    private static string MissingId(string id) => id[..(id.IndexOf('_') + 1)] + new string('0', id.Length - id.IndexOf('_') - 1);

    private async Task AssertDocumentedAsync(string method, string path, HttpResponseMessage response)
    {
        var version = path.Split('/')[2];
        var doc = await DocumentAsync(version);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var operation = doc["paths"]![path]![method.ToLowerInvariant()]!;
        var documented = operation["responses"]![status];
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(documented is not null, $"{method} {path} answered {status}, which its document does not list: {body}");
        var schema = await SchemaAsync(doc, documented!["content"]!["application/json"]!["schema"]!);
        var errors = schema.Validate(body);
        Assert.True(errors.Count == 0, $"{method} {path} {status}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{body}");
    }

    private readonly Dictionary<string, JsonNode> _documents = [];

    private async Task<JsonNode> DocumentAsync(string version)
    {
        if (_documents.TryGetValue(version, out var cached)) return cached;
        using var client = app.CreateClient();
        return _documents[version] = JsonNode.Parse(await client.GetStringAsync($"/openapi/{version}.json"))!;
    }

    /// <summary>
    /// The response's schema as a JSON Schema document of its own: the component schemas become its
    /// definitions, so the document's <c>$ref</c>s resolve inside it.
    /// </summary>
    private static Task<JsonSchema> SchemaAsync(JsonNode doc, JsonNode schema)
    {
        // Under allOf: NJsonSchema does not resolve a root that is nothing but a $ref.
        var root = new JsonObject
        {
            ["allOf"] = new JsonArray(schema.DeepClone()),
            ["definitions"] = doc["components"]!["schemas"]!.DeepClone(),
        };
        return JsonSchema.FromJsonAsync(ComponentRef().Replace(root.ToJsonString(), "#/definitions/"));
    }

    [GeneratedRegex("#/components/schemas/")]
    private static partial Regex ComponentRef();
}
