using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Docs;

/// <summary>The OpenAPI documents: one per version, complete, snake_case, with examples the API accepts.</summary>
public sealed partial class OpenApiDocumentTests(NexusApp<OpenApiDocumentTests> app) : IClassFixture<NexusApp<OpenApiDocumentTests>>
{
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Theory]
    [InlineData("v1", "/api/v1/notes: get post", "/api/v1/notes/{id}: delete get put",
        "/api/v1/keys: get post", "/api/v1/keys/{id}: get post", "/api/v1/keys/{id}/roll: post", "/api/v1/keys/{id}/revoke: post",
        "/api/v1/audit-log: get", "/api/v1/audit-log/{id}: get", "/api/v1/request-logs: get", "/api/v1/request-logs/{id}: get",
        "/api/v1/usage: get",
        "/api/v1/webhook-endpoints: get post", "/api/v1/webhook-endpoints/{id}: delete get post",
        "/api/v1/webhook-endpoints/{id}/rotate-secret: post", "/api/v1/webhook-endpoints/{id}/secret: get",
        "/api/v1/webhook-endpoints/{id}/retry-failed: post", "/api/v1/events: get post", "/api/v1/events/{id}: get",
        "/api/v1/events/{id}/replay: post", "/api/v1/event-types: get", "/api/v1/webhook-deliveries: get",
        "/api/v1/webhook-deliveries/{id}: get", "/api/v1/webhook-deliveries/{id}/retry: post",
        "/api/v1/customers: get post", "/api/v1/customers/{id}: delete get post")]
    [InlineData("v2", "/api/v2/notes: get post", "/api/v2/notes/{id}: get")]
    public async Task Each_document_is_openapi_3_1_with_exactly_its_versions_routes(string version, params string[] expected)
    {
        var doc = await DocumentAsync(version);

        Assert.StartsWith("3.1", doc.GetProperty("openapi").GetString());
        Assert.Equal(version, doc.GetProperty("info").GetProperty("version").GetString());
        var paths = doc.GetProperty("paths").EnumerateObject()
            .Select(p => $"{p.Name}: {string.Join(' ', p.Value.EnumerateObject().Select(m => m.Name).Where(HttpMethods.Contains).Order())}")
            .Order();
        Assert.Equal(expected.Order(), paths);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task No_dashboard_health_or_other_version_route_leaks_into_a_document(string version)
    {
        var doc = await DocumentAsync(version);

        foreach (var path in doc.GetProperty("paths").EnumerateObject().Select(p => p.Name))
            Assert.StartsWith($"/api/{version}/", path);
        var text = doc.GetRawText();
        foreach (var route in new[] { "/keys", "/login", "/logout", "/healthz", "/readyz", "/signup", "/api/" + (version == "v1" ? "v2" : "v1") })
            Assert.DoesNotContain($"\"{route}", text);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_property_and_parameter_name_is_snake_case(string version)
    {
        var doc = await DocumentAsync(version);

        var names = new List<string>();
        foreach (var schema in doc.GetProperty("components").GetProperty("schemas").EnumerateObject())
            if (schema.Value.TryGetProperty("properties", out var props))
                names.AddRange(props.EnumerateObject().Select(p => p.Name));
        foreach (var (_, operation) in Operations(doc))
            if (operation.TryGetProperty("parameters", out var parameters))
                names.AddRange(parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() != "header").Select(p => p.GetProperty("name").GetString()!));

        Assert.Contains("created_at", names);
        Assert.Contains("request_id", names);
        Assert.Contains("doc_url", names);
        Assert.All(names, n => Assert.Matches(SnakeCase(), n));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_post_documents_the_idempotency_key_header_and_nothing_else_does(string version)
    {
        var doc = await DocumentAsync(version);
        var posts = 0;
        foreach (var (name, operation) in Operations(doc))
        {
            var method = name.Split(' ')[0];
            var headers = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).ToList()
                : [];
            Assert.Equal(method == "post" ? ["Idempotency-Key"] : [], headers);
            if (method == "post") posts++;
        }
        Assert.True(posts > 0);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_operation_requires_the_bearer_key_scheme(string version)
    {
        var doc = await DocumentAsync(version);

        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        var scheme = Assert.Single(schemes.EnumerateObject());
        Assert.Equal("http", scheme.Value.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.Value.GetProperty("scheme").GetString());
        var required = doc.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name));
        Assert.Equal([scheme.Name], required);
        foreach (var (_, operation) in Operations(doc))
            Assert.False(operation.TryGetProperty("security", out var own) && own.GetArrayLength() == 0, "an operation opts out of authentication");
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_operation_has_a_summary_and_documents_its_errors_including_401(string version)
    {
        var doc = await DocumentAsync(version);

        foreach (var (name, operation) in Operations(doc))
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{name} has no summary");
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
            Assert.Contains("401", errors.Select(e => e.Name));
            foreach (var error in errors)
                Assert.EndsWith("/ApiErrorResponse", error.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_operation_names_the_scope_it_needs_and_documents_403(string version)
    {
        var doc = await DocumentAsync(version);

        foreach (var (name, operation) in Operations(doc))
        {
            var description = operation.GetProperty("description").GetString() ?? "";
            var scope = ScopeName().Match(description);
            Assert.True(scope.Success, $"{name} does not name its scope");
            // A read never needs a write scope, and a write is never allowed by a read scope.
            Assert.NotEqual(name.StartsWith("get ") ? "write" : "read", scope.Groups[1].Value);
            Assert.Contains("403", operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        }
    }

    [Theory]
    [InlineData("v1", "/api/v1/notes/{id}")]
    [InlineData("v2", "/api/v2/notes/{id}")]
    public async Task Path_parameters_are_documented(string version, string path)
    {
        var doc = await DocumentAsync(version);

        foreach (var operation in doc.GetProperty("paths").GetProperty(path).EnumerateObject().Where(m => HttpMethods.Contains(m.Name)))
        {
            var id = Assert.Single(operation.Value.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("in").GetString() == "path");
            Assert.Equal("id", id.GetProperty("name").GetString());
            Assert.True(id.GetProperty("required").GetBoolean());
        }
    }

    [Theory]
    [InlineData("v1", "/api/v1/notes", "limit offset")]
    [InlineData("v2", "/api/v2/notes", "limit starting_after tag")]
    [InlineData("v1", "/api/v1/keys", "limit starting_after status")]
    [InlineData("v1", "/api/v1/audit-log", "action actor_id created_gte created_lt limit starting_after target_id")]
    [InlineData("v1", "/api/v1/usage", "key_id period")]
    [InlineData("v1", "/api/v1/webhook-endpoints", "created_gte created_lt limit starting_after")]
    [InlineData("v1", "/api/v1/events", "created_gte created_lt limit starting_after type")]
    [InlineData("v1", "/api/v1/webhook-deliveries", "created_gte created_lt endpoint_id event_id event_type limit starting_after status")]
    [InlineData("v1", "/api/v1/customers", "email limit starting_after")]
    public async Task List_query_parameters_are_documented(string version, string path, string expected)
    {
        var doc = await DocumentAsync(version);

        var list = doc.GetProperty("paths").GetProperty(path).GetProperty("get");
        var query = list.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString());
        Assert.Equal(expected.Split(' '), query.Order());
    }

    [Theory]
    [InlineData("v1", "post", "/api/v1/notes", "title body")]
    [InlineData("v1", "put", "/api/v1/notes/{id}", "title body")]
    [InlineData("v2", "post", "/api/v2/notes", "content title tags")]
    [InlineData("v1", "post", "/api/v1/keys", "name kind scopes expires_at allowed_ips rate_limit_per_minute")]
    [InlineData("v1", "post", "/api/v1/keys/{id}", "name scopes allowed_ips rate_limit_per_minute")]
    [InlineData("v1", "post", "/api/v1/keys/{id}/roll", "grace_period_minutes")]
    [InlineData("v1", "post", "/api/v1/webhook-endpoints", "url description enabled_events retry_schedule")]
    [InlineData("v1", "post", "/api/v1/webhook-endpoints/{id}", "url description enabled_events disabled retry_schedule")]
    [InlineData("v1", "post", "/api/v1/webhook-endpoints/{id}/rotate-secret", "grace_period_seconds")]
    [InlineData("v1", "post", "/api/v1/webhook-endpoints/{id}/retry-failed", "since")]
    [InlineData("v1", "post", "/api/v1/events", "type data")]
    [InlineData("v1", "post", "/api/v1/events/{id}/replay", "endpoint_id")]
    public async Task Request_bodies_are_documented_with_their_fields_only(string version, string method, string path, string fields)
    {
        var doc = await DocumentAsync(version);

        var body = doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody");
        var schema = Resolve(doc, body.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(fields.Split(' ').Order(), schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("v1", "/api/v1/notes")]
    [InlineData("v2", "/api/v2/notes")]
    public async Task The_documented_create_example_is_accepted_by_the_api(string version, string path)
    {
        var doc = await DocumentAsync(version);
        var create = doc.GetProperty("paths").GetProperty(path).GetProperty("post");
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var org = await app.CreateOrgAsync();
        using var client = await org.ClientWithKeyAsync(app.CreateClient());

        var response = await client.PostAsync(path, NoteData.Json(example.GetRawText()));

        var created = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var documented = create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(ApiAssert.Names(documented), ApiAssert.Names(created));
    }

    [Fact]
    public async Task Same_named_dtos_of_different_actions_get_distinct_schemas()
    {
        var doc = await DocumentAsync("v1");

        var list = Resolve(doc, doc.GetProperty("paths").GetProperty("/api/v1/notes").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var delete = Resolve(doc, doc.GetProperty("paths").GetProperty("/api/v1/notes/{id}").GetProperty("delete")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(list.GetProperty("properties").TryGetProperty("total", out _));
        Assert.True(delete.GetProperty("properties").TryGetProperty("deleted", out _));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_schema_in_a_document_is_used_by_one_of_its_operations(string version)
    {
        var doc = await DocumentAsync(version);
        var text = doc.GetRawText();

        var unused = doc.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Select(s => s.Name)
            .Where(name => !text.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(unused);
    }

    [Theory]
    [InlineData("v1", "/api/v1/notes", "get")]
    [InlineData("v1", "/api/v1/notes/{id}", "get")]
    [InlineData("v1", "/api/v1/notes/{id}", "delete")]
    [InlineData("v2", "/api/v2/notes", "get")]
    [InlineData("v2", "/api/v2/notes/{id}", "get")]
    [InlineData("v1", "/api/v1/keys", "get")]
    [InlineData("v1", "/api/v1/keys/{id}", "get")]
    [InlineData("v1", "/api/v1/keys/{id}/revoke", "post")]
    [InlineData("v1", "/api/v1/audit-log", "get")]
    [InlineData("v1", "/api/v1/audit-log/{id}", "get")]
    [InlineData("v1", "/api/v1/usage", "get")]
    [InlineData("v1", "/api/v1/webhook-endpoints/{id}", "delete")]
    [InlineData("v1", "/api/v1/webhook-endpoints/{id}/secret", "get")]
    [InlineData("v1", "/api/v1/events/{id}", "get")]
    [InlineData("v1", "/api/v1/event-types", "get")]
    [InlineData("v1", "/api/v1/webhook-deliveries/{id}", "get")]
    [InlineData("v1", "/api/v1/webhook-deliveries/{id}/retry", "post")]
    public async Task Reads_and_deletes_document_no_request_body(string version, string path, string method)
    {
        var doc = await DocumentAsync(version);

        Assert.False(doc.GetProperty("paths").GetProperty(path).GetProperty(method).TryGetProperty("requestBody", out _));
    }

    [Theory]
    [InlineData("v1", "created_gte")]
    [InlineData("v2", null)]
    public async Task Times_are_date_time_strings_and_the_response_examples_show_them_in_the_one_wire_form(string version, string? timeParameter)
    {
        var doc = await DocumentAsync(version);

        var schemas = new List<(string Where, JsonElement Schema)>();
        foreach (var schema in doc.GetProperty("components").GetProperty("schemas").EnumerateObject())
            if (schema.Value.TryGetProperty("properties", out var props))
                schemas.AddRange(props.EnumerateObject().Select(p => ($"{schema.Name}.{p.Name}", p.Value)));
        foreach (var (name, operation) in Operations(doc))
            if (operation.TryGetProperty("parameters", out var parameters))
                schemas.AddRange(parameters.EnumerateArray().Select(p => ($"{name} ?{p.GetProperty("name").GetString()}", p.GetProperty("schema"))));
        var times = schemas.Where(s => s.Schema.TryGetProperty("format", out var f) && f.GetString() == "date-time").ToList();
        Assert.Contains(times, t => t.Where.EndsWith(".created_at", StringComparison.Ordinal));
        if (timeParameter is not null) Assert.Contains(times, t => t.Where.EndsWith("?" + timeParameter, StringComparison.Ordinal));
        // A time written by NexusJson's own converter still says what JSON type it is.
        Assert.All(times, t => Assert.True(TypeOf(t.Schema) is "string" or "null string", $"{t.Where}: {t.Schema.GetRawText()}"));

        var shown = new List<string>();
        foreach (var (_, operation) in Operations(doc))
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
                if (response.Value.TryGetProperty("content", out var content))
                    foreach (var media in content.EnumerateObject())
                        if (media.Value.TryGetProperty("example", out var example)) Times(example, shown);
        Assert.NotEmpty(shown);
        Assert.All(shown, t => Assert.Matches(WireTime(), t));
    }

    [Theory]
    [InlineData("v1", "Notes", "Customers", "Events", "Webhook endpoints", "Webhook deliveries", "API keys", "Request logs", "Usage", "Audit log")]
    [InlineData("v2", "Notes")]
    public async Task Sections_come_in_reading_order_each_with_a_description_and_every_operation_in_one(string version, params string[] expected)
    {
        var doc = await DocumentAsync(version);

        var tags = doc.GetProperty("tags").EnumerateArray().ToList();
        Assert.Equal(expected, tags.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tags, t => Assert.True(t.GetProperty("description").GetString()!.Length > 40));
        // The paths follow the sections, so a reader (and Scalar) meets the operations in that order;
        // within a section a collection comes before its items.
        var sectionOfPath = Operations(doc).Select(o => o.Operation.GetProperty("tags")[0].GetString()).Distinct().ToList();
        Assert.Equal(expected, sectionOfPath);
        Assert.True(PathIndex(doc, $"/api/{version}/notes") < PathIndex(doc, $"/api/{version}/notes/{{id}}"));
        // Within a path, reads come first: retrieve before update, update before delete.
        string[] methodOrder = ["get", "post", "put", "patch", "delete"];
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            var methods = path.Value.EnumerateObject().Select(m => m.Name).Where(HttpMethods.Contains).ToList();
            Assert.Equal(methods.OrderBy(m => Array.IndexOf(methodOrder, m)), methods);
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task The_server_url_has_no_trailing_slash_so_joining_it_with_a_path_gives_one_slash(string version)
    {
        var doc = await DocumentAsync(version);

        var url = Assert.Single(doc.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString()!;
        Assert.StartsWith("http", url);
        Assert.False(url.EndsWith('/'), url);
    }

    [Fact]
    public async Task A_scope_nothing_else_includes_is_named_once()
    {
        var doc = await DocumentAsync("v1");

        var create = doc.GetProperty("paths").GetProperty("/api/v1/keys").GetProperty("post").GetProperty("description").GetString()!;
        Assert.Contains("Requires an API key with the `admin:all` scope; without it", create);
        Assert.Single(Regex.Matches(create, "admin:all"));
        var read = doc.GetProperty("paths").GetProperty("/api/v1/notes").GetProperty("get").GetProperty("description").GetString()!;
        Assert.Contains("`read:notes` scope (or a scope that includes it, such as `write:notes`)", read);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_query_parameter_is_described_and_numbers_and_times_have_their_own_types(string version)
    {
        var doc = await DocumentAsync(version);

        var query = (from op in Operations(doc)
                     where op.Operation.TryGetProperty("parameters", out _)
                     from p in op.Operation.GetProperty("parameters").EnumerateArray()
                     where p.GetProperty("in").GetString() == "query"
                     select (Where: $"{op.Name} ?{p.GetProperty("name").GetString()}", Name: p.GetProperty("name").GetString()!, Param: p)).ToList();
        Assert.NotEmpty(query);
        Assert.All(query, q => Assert.True(q.Param.TryGetProperty("description", out var d) && d.GetString()!.Length > 10, q.Where));
        // No <c>…</c> left from the XML comments the descriptions come from.
        Assert.All(query, q => Assert.DoesNotContain("<", q.Param.GetProperty("description").GetString()!));
        foreach (var (where, name, param) in query.Where(q => q.Name == "limit"))
        {
            var schema = param.GetProperty("schema");
            Assert.True(TypeOf(schema) == "integer", where);
            Assert.Equal(1, schema.GetProperty("minimum").GetInt32());
            Assert.Equal(100, schema.GetProperty("maximum").GetInt32());
        }
        foreach (var (where, _, param) in query.Where(q => q.Name.StartsWith("created_", StringComparison.Ordinal)))
            Assert.True(param.GetProperty("schema").GetProperty("format").GetString() == "date-time", where);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_response_documents_the_request_id_and_rate_limit_headers_and_every_operation_the_errors_any_request_can_get(string version)
    {
        var doc = await DocumentAsync(version);

        var headers = doc.GetProperty("components").GetProperty("headers");
        foreach (var name in new[] { "X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After" })
            Assert.True(headers.GetProperty(name).GetProperty("description").GetString()!.Length > 20, name);
        foreach (var (name, operation) in Operations(doc))
        {
            var tooMany = operation.GetProperty("responses").GetProperty("429");
            Assert.Equal("#/components/schemas/ApiErrorResponse",
                tooMany.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.Equal("#/components/headers/Retry-After", tooMany.GetProperty("headers").GetProperty("Retry-After").GetProperty("$ref").GetString());
            // Every route refuses an unknown query parameter; every route with a body, one over 1 MB or not JSON.
            Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _), $"{name}: 400");
            if (operation.TryGetProperty("requestBody", out _))
                foreach (var status in new[] { "413", "415" })
                    Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{name}: {status}");
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
                foreach (var header in new[] { "X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" })
                    Assert.True(response.Value.TryGetProperty("headers", out var declared) && declared.TryGetProperty(header, out _), $"{name} {response.Name}: {header}");
        }
    }

    private static int PathIndex(JsonElement doc, string path) =>
        doc.GetProperty("paths").EnumerateObject().Select((p, i) => (p.Name, i)).Single(p => p.Name == path).i;

    /// <summary>
    /// A schema without a type reads as "any" in the reference and to a client generator. Only the
    /// free-form JSON an event carries (<c>JsonElement</c>) may be untyped.
    /// </summary>
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_property_parameter_item_and_map_value_says_its_type(string version)
    {
        var doc = await DocumentAsync(version);

        var untyped = new List<string>();
        foreach (var schema in doc.GetProperty("components").GetProperty("schemas").EnumerateObject())
            if (schema.Value.TryGetProperty("properties", out var props))
                foreach (var p in props.EnumerateObject()) Untyped($"{schema.Name}.{p.Name}", p.Value, untyped);
        foreach (var (name, operation) in Operations(doc))
            if (operation.TryGetProperty("parameters", out var parameters))
                foreach (var p in parameters.EnumerateArray()) Untyped($"{name} ?{p.GetProperty("name").GetString()}", p.GetProperty("schema"), untyped);

        Assert.Empty(untyped);
    }

    [Theory]
    [InlineData("v1", "NoteV1", "title", "string")]
    [InlineData("v1", "KeyObject", "rolled_to", "null string")]
    [InlineData("v1", "CustomersCreateRequest", "email", "null string")]
    [InlineData("v2", "NoteV2", "content", "string")]
    public async Task Strings_are_typed_and_optional_ones_say_null(string version, string schema, string property, string expected)
    {
        var doc = await DocumentAsync(version);

        var found = doc.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);
        Assert.Equal(expected, TypeOf(found));
    }

    [Fact]
    public async Task String_lists_and_metadata_maps_say_their_values_are_strings()
    {
        var doc = await DocumentAsync("v1");
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        Assert.Equal("string", TypeOf(schemas.GetProperty("KeyObject").GetProperty("properties").GetProperty("scopes").GetProperty("items")));
        Assert.Equal("string", TypeOf(schemas.GetProperty("CustomerObject").GetProperty("properties").GetProperty("metadata").GetProperty("additionalProperties")));
    }

    private static void Untyped(string where, JsonElement schema, List<string> into)
    {
        if (schema.TryGetProperty("$ref", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _)) return;
        var type = TypeOf(schema);
        if (type == "") { into.Add($"{where}: {schema.GetRawText()}"); return; }
        if (type.Split(' ').Contains("array"))
        {
            if (schema.TryGetProperty("items", out var items)) Untyped(where + "[]", items, into);
            else into.Add($"{where}: an array without items");
        }
        if (schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object)
            Untyped(where + "{}", values, into);
    }

    private static string TypeOf(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? ""
        : type.ValueKind == JsonValueKind.Array ? string.Join(' ', type.EnumerateArray().Select(t => t.GetString()).Order()) : type.GetString()!;

    private static void Times(JsonElement e, List<string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Times(p.Value, into); break;
            case JsonValueKind.Array: foreach (var item in e.EnumerateArray()) Times(item, into); break;
            case JsonValueKind.String when LooksLikeTime().IsMatch(e.GetString()!): into.Add(e.GetString()!); break;
        }
    }

    [Fact]
    public async Task An_unknown_document_is_404()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v9.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        ApiAssert.RequestId(response);
    }

    private async Task<JsonElement> DocumentAsync(string version)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync($"/openapi/{version}.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        ApiAssert.RequestId(response);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement doc) =>
        from path in doc.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where HttpMethods.Contains(method.Name)
        select ($"{method.Name} {path.Name}", method.Value);

    private static JsonElement Resolve(JsonElement doc, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var r)
            ? doc.GetProperty("components").GetProperty("schemas").GetProperty(r.GetString()!.Split('/')[^1])
            : schema;

    [GeneratedRegex("Requires an API key with the `(read|write|admin):[a-z_]+` scope")]
    private static partial Regex ScopeName();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex WireTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[T ]\d")]
    private static partial Regex LooksLikeTime();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
