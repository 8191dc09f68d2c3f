using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// Times are written by NexusJson's own converter, and System.Text.Json's schema exporter knows nothing
/// about a custom converter: it leaves such a schema without a type (only the <c>format: date-time</c>
/// survives). This puts back <c>type: string</c> (and <c>null</c> where the value is optional), as it
/// was with the built-in converter.
/// </summary>
internal sealed class TimestampSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime))
        {
            schema.Type = underlying == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
        return Task.CompletedTask;
    }
}
