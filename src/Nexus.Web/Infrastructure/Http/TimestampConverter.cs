using System.Text.Json;
using System.Text.Json.Serialization;
using Nexus.Shared.Common;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Writes every <see cref="DateTimeOffset"/> and <see cref="DateTime"/> (nullable ones too) the way
/// <see cref="Timestamps"/> does, so a response, a webhook's <c>data</c> and its envelope agree.
/// Reading is System.Text.Json's own (dictionary keys included, through the base class's fallback to
/// the built-in converter): every form the API accepted before is still accepted.
/// </summary>
internal sealed class TimestampConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTime);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(DateTimeOffset) ? new OffsetConverter() : new DateTimeConverter();

    private sealed class OffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WriteTime(writer, value.UtcDateTime);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WritePropertyName(Timestamps.Format(value));
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => WriteTime(writer, value);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WritePropertyName(Timestamps.Format(value));
    }

    /// <summary>Formats straight into the writer's UTF-8, without a string in between.</summary>
    private static void WriteTime(Utf8JsonWriter writer, DateTime value)
    {
        Span<byte> utf8 = stackalloc byte[Timestamps.Length];
        Timestamps.TryFormat(value, utf8, out var written);
        writer.WriteStringValue(utf8[..written]);
    }
}
