using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api;

/// <summary>
/// For POST routes whose body is optional (roll, revoke): they declare no accepted content type,
/// so a bodiless POST is not a 415, and this refuses what routing no longer does: a body that is
/// not JSON, which would otherwise be ignored without a word.
/// </summary>
public sealed class OptionalJsonBody<TRequest> : IPreProcessor<TRequest>
{
    public Task PreProcessAsync(IPreProcessorContext<TRequest> ctx, CancellationToken ct)
    {
        var request = ctx.HttpContext.Request;
        if ((request.ContentType is not null || request.HasBody()) && !request.HasJsonContentType())
            throw new ApiException(ErrorCatalog.UnsupportedMediaType,
                $"Send no body, or JSON with Content-Type: application/json (got '{Clip(request.ContentType)}').");
        return Task.CompletedTask;
    }

    private static string Clip(string? s) => s is null ? "none" : s.Length > 100 ? s[..100] : s;

    /// <summary>
    /// Documents the optional JSON body that the route does not declare to routing, with the
    /// endpoint's example request (this runs after the document-wide transformer that sets examples).
    /// </summary>
    public static RouteHandlerBuilder Document(RouteHandlerBuilder b) => b.AddOpenApiOperationTransformer(async (op, ctx, ct) =>
    {
        var example = ctx.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault()?.EndpointSummary?.ExampleRequest;
        op.RequestBody = new OpenApiRequestBody
        {
            Required = false,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = await ctx.GetOrCreateSchemaAsync(typeof(TRequest), null, ct),
                    Example = example is null ? null : JsonSerializer.SerializeToNode(example, example.GetType(), NexusJson.Options),
                },
            },
        };
    });
}
