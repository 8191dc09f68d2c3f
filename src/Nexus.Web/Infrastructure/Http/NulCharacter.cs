using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// PostgreSQL stores no U+0000 (NUL) in text or jsonb: a value holding one reached the database and
/// failed there, as a 503 from the API and a 500 from the dashboard. Nexus refuses it where it comes
/// in instead: JSON strings (<see cref="Converter"/>), query strings and dashboard forms
/// (<see cref="NulCharacterGuard"/>). A path cannot hold one: Kestrel refuses <c>%00</c> in it.
/// </summary>
public static class NulCharacter
{
    public const string Rule = "must not contain the character U+0000 (NUL)";

    public static bool In(string? value) => value is not null && value.Contains('\0');

    /// <summary>The first name in <paramref name="pairs"/> whose name or any value holds a NUL, or null.</summary>
    public static string? FirstIn(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> pairs)
    {
        foreach (var (name, values) in pairs)
        {
            if (In(name)) return name.Replace("\0", "\\u0000", StringComparison.Ordinal);
            foreach (var value in values)
                if (In(value)) return name;
        }
        return null;
    }

    /// <summary>
    /// Reads strings (and dictionary keys) as System.Text.Json does, refusing one that holds a NUL.
    /// Writing is unchanged. <see cref="Nexus.Web.Infrastructure.Errors.ValidationErrors"/> turns the
    /// exception into <c>parameter_invalid</c> naming the field.
    /// </summary>
    public sealed class Converter : JsonConverter<string>
    {
        public const string Message = "A string holds U+0000.";

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

        private static string Checked(string value) => value.Contains('\0') ? throw new JsonException(Message) : value;
    }
}
