using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>The API speaks snake_case JSON and rejects fields it does not know.</summary>
public static class NexusJson
{
    public static void Apply(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.MaxDepth = 32;
        // API bodies are JSON, never HTML: keep messages readable (no \u0027 for quotes).
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
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
