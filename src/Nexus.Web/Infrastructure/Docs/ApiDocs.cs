using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>One OpenAPI 3.1 document per API version, each rendered by Scalar at /docs/api/{version}.</summary>
public static class ApiDocs
{
    private const string Times =
        "Times are UTC, RFC 3339 with milliseconds: `2026-11-22T10:00:00.000Z`, cut rather than rounded, so a `created_at` passed back as " +
        "`created_gte` finds its object. Filters and bodies also accept other ISO 8601 forms (an offset, no fraction, a plain date). ";

    public static readonly (string Name, string Title, string Description)[] Versions =
    [
        ("v1", "Nexus API v1",
            "The first version of the Nexus API: customers, webhook endpoints and deliveries, events, API keys, request logs, " +
            "usage and the audit log, all current, and notes with a title and a body (deprecated: see the [v2 reference](/docs/api/v2)). " +
            "Authenticate with a secret key: `Authorization: Bearer nx_test_…`. Test keys only see test-mode data. " +
            Times +
            "Errors always have the shape `{\"error\":{\"type\",\"code\",\"message\",\"param\",\"request_id\",\"doc_url\",\"request_log_url\"}}` (`request_log_url` opens the request in the dashboard when it was made with a valid key; otherwise null)."),
        ("v2", "Nexus API v2",
            "The current version of the Nexus API: notes with content, tags and timestamps, cursor pagination. " +
            "Only notes changed in v2: customers, webhook endpoints and deliveries, events, API keys, request logs, usage and " +
            "the audit log are the same in both versions and are documented in the [v1 reference](/docs/api/v1). " +
            "Authenticate with a secret key: `Authorization: Bearer nx_test_…`. Test keys only see test-mode data. " +
            Times +
            "Errors always have the shape `{\"error\":{\"type\",\"code\",\"message\",\"param\",\"request_id\",\"doc_url\",\"request_log_url\"}}` (`request_log_url` opens the request in the dashboard when it was made with a valid key; otherwise null)."),
    ];

    /// <summary>Where the interactive references live; the version a bare <see cref="ReferencePath"/> opens.</summary>
    public const string ReferencePath = "/docs/api";
    public const string CurrentVersion = "v2";

    public static IServiceCollection AddNexusApiDocs(this IServiceCollection services)
    {
        foreach (var (name, title, description) in Versions)
            services.AddOpenApi(name, o =>
            {
                o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
                o.ShouldInclude = d => d.GroupName == name && d.HttpMethod != HttpMethods.Head;
                o.CreateSchemaReferenceId = SchemaName;
                o.AddOperationTransformer<EndpointDocsTransformer>();
                o.AddSchemaTransformer<TimestampSchemaTransformer>();
                o.AddDocumentTransformer((doc, _, _) =>
                {
                    doc.Info = new OpenApiInfo { Title = title, Version = name, Description = description };
                    doc.Components ??= new OpenApiComponents();
                    doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                    doc.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "nx_test_… / nx_live_…",
                        Description = "A secret API key from the dashboard (Keys). Test keys (nx_test_…) see only test-mode data.",
                    };
                    doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", doc)] = [] }];
                    // The server's URL comes from the request, as "http://host/"; the paths begin with "/", and a
                    // client that joins the two would ask for "//api/v1/…".
                    foreach (var server in doc.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
                    ApiTags.Apply(doc);
                    CommonResponses.Apply(doc);
                    return Task.CompletedTask;
                });
            });
        return services;
    }

    /// <summary>
    /// Endpoint DTOs are all called Request/Response; name their schemas by their folder instead
    /// (Nexus.Web.Api.Notes.V2.List.Response → NotesV2ListResponse).
    /// </summary>
    private static string? SchemaName(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        var type = info.Type;
        if (type.Name is "Request" or "Response" && type.Namespace?.StartsWith("Nexus.Web.Api.", StringComparison.Ordinal) == true)
            return type.Namespace["Nexus.Web.Api.".Length..].Replace(".", "") + type.Name;
        return OpenApiOptions.CreateDefaultSchemaReferenceId(info);
    }

    public static WebApplication MapNexusApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // One reference page per version (/docs/api/v1, /docs/api/v2), each with only its own document;
        // /docs itself is the guide, and /docs/api opens the current version.
        foreach (var (name, title, _) in Versions)
            app.MapScalarApiReference($"{ReferencePath}/{name}", o =>
            {
                o.WithTitle(title + " reference");
                o.AddDocument(name, title, $"/openapi/{name}.json", isDefault: true);
                o.AddPreferredSecuritySchemes("api_key");
                o.HideDeveloperTools();
                o.DisableAgent();
                o.DisableMcp();
                o.DisableTelemetry();
                // Scalar's default fonts come from its CDN; the page loads nothing from another origin.
                o.DisableDefaultFonts();
                o.DotNetFlag = false;
            });
        app.MapGet(ReferencePath, () => Results.Redirect($"{ReferencePath}/{CurrentVersion}/")).ExcludeFromDescription();
        return app;
    }
}
