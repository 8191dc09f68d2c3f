using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FastEndpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// Microsoft.AspNetCore.OpenApi sees FastEndpoints endpoints but not what they declare in
/// <c>Summary(...)</c> or bind from the route and query string (FastEndpoints' own OpenAPI
/// integration, FastEndpoints.Swagger, is not available here). This fills the gap from the
/// endpoint's definition: summary, description, path and query parameters, and examples.
/// </summary>
internal sealed partial class EndpointDocsTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation op, OpenApiOperationTransformerContext ctx, CancellationToken ct)
    {
        var def = ctx.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();
        if (def is null) return;

        op.Parameters ??= [];
        var path = ctx.Description.RelativePath ?? "";
        foreach (Match m in RouteParameter().Matches(path))
            op.Parameters.Add(new OpenApiParameter
            {
                Name = m.Groups[1].Value, In = ParameterLocation.Path, Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = def.EndpointSummary?.Params.GetValueOrDefault(m.Groups[1].Value) ?? "The object's id.",
            });

        foreach (var prop in def.ReqDtoType.GetProperties().Where(p => p.GetCustomAttribute<QueryParamAttribute>() is not null))
        {
            var name = prop.GetCustomAttribute<BindFromAttribute>()?.Name ?? NexusJson.SnakeCase(prop.Name);
            op.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Query, Required = false,
                Schema = await QuerySchemaAsync(prop, name, ctx, ct),
                Description = def.EndpointSummary?.Params.GetValueOrDefault(name) ?? XmlDocs.Summary(prop),
            });
        }

        if (string.Equals(ctx.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
            op.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.IdempotencyMiddleware.Header, In = ParameterLocation.Header, Required = false,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Nexus.Shared.Idempotency.IdempotencyStore.MaxKeyLength },
                Description = "Makes a retry safe: a second request with the same key (and the same body) within 24 hours gets the first one's response, "
                    + "with `Idempotent-Replayed: true`, instead of running again. The same key with other parameters is 422 `idempotency_key_reused`; "
                    + "while the first is still running, a retry waits for it or gets 409 `idempotency_request_in_progress`. Use a new random key (e.g. a UUID) per operation.",
            });

        // Every API error is the error object, also the 401/403 FastEndpoints declares by itself.
        foreach (var (status, response) in op.Responses ?? [])
            if (status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } declared)
                declared.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(ApiErrorResponse), ctx.Document) },
                };

        var deprecationNote = "";
        if (ctx.Description.ActionDescriptor.EndpointMetadata.OfType<Versioning.Deprecation>().FirstOrDefault() is { } deprecation)
        {
            op.Deprecated = true;
            deprecationNote = $"\n\n**Deprecated** since {deprecation.DeprecatedAt:yyyy-MM-dd}; stops working after {deprecation.SunsetAt:yyyy-MM-dd}. "
                + $"Use `{deprecation.Successor}` instead: see the [migration guide]({deprecation.GuidePath}).";
        }

        if (def.EndpointSummary is not { } summary) return;
        op.Summary = summary.Summary;
        op.Description = summary.Description + ScopeNote(def) + deprecationNote;
        if (summary.ExampleRequest is { } request && op.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            body.Example = JsonSerializer.SerializeToNode(request, request.GetType(), NexusJson.Options);
        foreach (var (status, example) in summary.ResponseExamples)
            if (op.Responses?.TryGetValue(status.ToString(), out var response) == true
                && response.Content?.TryGetValue("application/json", out var content) == true)
                content.Example = JsonSerializer.SerializeToNode(example, example.GetType(), NexusJson.Options);
    }

    /// <summary>
    /// A query value is text, so the JSON options' "a number or a numeric string" has no meaning here:
    /// a whole number is an integer (limit 1–100, offset from 0), and a time filter a date-time, whatever
    /// type the request property reads it into.
    /// </summary>
    private static async Task<IOpenApiSchema> QuerySchemaAsync(string name, Type type, OpenApiOperationTransformerContext ctx, CancellationToken ct)
    {
        if (type == typeof(int))
            return new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32",
                Minimum = name == "limit" ? "1" : name == "offset" ? "0" : null,
                Maximum = name == "limit" ? Nexus.Web.Api.ApiQuery.PageMax.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            };
        if (name is "created_gte" or "created_lt")
            return new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        return await ctx.GetOrCreateSchemaAsync(type, null, ct);
    }

    private static async Task<IOpenApiSchema> QuerySchemaAsync(PropertyInfo prop, string name, OpenApiOperationTransformerContext ctx, CancellationToken ct)
    {
        if (prop.GetCustomAttribute<QueryValuesAttribute>() is { } values)
            return new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Values.Select(v => (System.Text.Json.Nodes.JsonNode)v)] };
        return await QuerySchemaAsync(name, Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType, ctx, ct);
    }

    /// <summary>Bearer schemes have no scopes in OpenAPI, so the scope a route needs is stated in its description.</summary>
    private static string ScopeNote(EndpointDefinition def)
    {
        if (def.AllowedScopes is not { Count: > 0 } scopes) return "";
        var scope = scopes.First();
        var includer = Includer(scope);
        var wider = includer == scope ? "" : $" (or a scope that includes it, such as `{includer}`)";
        return $"\n\nRequires an API key with the `{scope}` scope{wider}; without it the answer is 403 `permission_denied`.";
    }

    private static string Includer(string scope) =>
        scope.StartsWith("read:", StringComparison.Ordinal) && Nexus.Shared.Keys.KeyScopes.IsKnown("write:" + scope[5..]) ? "write:" + scope[5..] : Nexus.Shared.Keys.KeyScopes.AdminAll;

    [GeneratedRegex(@"\{([a-zA-Z_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
