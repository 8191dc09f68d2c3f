using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FastEndpoints;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>The API speaks snake_case JSON, writes times one way (<see cref="Nexus.Shared.Common.Timestamps"/>) and rejects fields it does not know or that appear twice.</summary>
public static class NexusJson
{
    public static void Apply(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"title":"a","title":"b"} is ambiguous (RFC 8259 leaves it to the reader; a proxy or an audit
        // trail may have read the other one): refused, in objects and in metadata alike.
        o.AllowDuplicateProperties = false;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.Converters.Add(new NulCharacter.Converter());
        // One timestamp form in every response and webhook payload: 2026-11-23T21:19:55.791Z.
        o.Converters.Add(new TimestampConverter());
        o.MaxDepth = 32;
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(BodyFieldsOnly);
        // API bodies are JSON, never HTML: keep messages readable (no \u0027 for quotes).
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    /// <summary>
    /// A property bound from the route, query, headers or claims is not a body field: a body that
    /// names it (<c>{"id": …}</c> on a PUT) is rejected as unknown instead of silently overridden.
    /// </summary>
    private static void BodyFieldsOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].AttributeProvider?.IsDefined(typeof(NonJsonBindingAttribute), inherit: true) == true)
                info.Properties.RemoveAt(i);
    }

    /// <summary>
    /// The options ASP.NET Core's own JSON uses: the OpenAPI documents' schemas and the health answers.
    /// The same as <see cref="Apply"/> without the NUL check, which only reads: System.Text.Json's
    /// schema exporter knows nothing of a custom converter and would document every string, list of
    /// strings and metadata map as "any", to readers and client generators alike.
    /// </summary>
    public static void ApplyForDocuments(JsonSerializerOptions o)
    {
        Apply(o);
        o.Converters.Remove(o.Converters.OfType<NulCharacter.Converter>().Single());
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(o);
        return o;
    }

    public static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
