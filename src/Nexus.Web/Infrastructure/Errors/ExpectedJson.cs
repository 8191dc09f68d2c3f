using System.Text.Json;
using System.Text.RegularExpressions;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>
/// What a body field must hold, in an API reader's words ("a string", "an array of strings"),
/// found by following the JSON path of a type error through the request type.
/// </summary>
public static partial class ExpectedJson
{
    /// <summary>What the field at <paramref name="path"/> (<c>tags[0]</c>, <c>metadata.crm_id</c>) of a <paramref name="root"/> body must be; null when unknown.</summary>
    public static string? At(Type root, string path)
    {
        Type? type = root;
        foreach (Match segment in Segments().Matches(path))
        {
            type = segment.Groups["index"].Success ? ElementOf(type) : MemberOf(type, segment.Groups["name"].Value);
            if (type is null) return null;
        }
        return Describe(type);
    }

    private static string? Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Plural(type) is { } plural) return Singular(plural);
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type).Select(NexusJson.SnakeCase))}";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "an ISO 8601 time, like 2026-11-22T10:00:00Z";
        if (type == typeof(JsonElement)) return null;
        if (DictionaryValueOf(type) is { } value) return Plural(value) is { } values ? $"an object whose values are {values}" : "an object";
        if (ElementOf(type) is { } element) return Plural(element) is { } elements ? $"an array of {elements}" : "an array";
        return type.IsClass ? "an object" : null;
    }

    /// <summary>The simple JSON values, in the plural ("strings"); null for anything else.</summary>
    private static string? Plural(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "strings";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "whole numbers";
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float)) return "numbers";
        if (type == typeof(bool)) return "true or false";
        return null;
    }

    private static string Singular(string plural) => plural switch
    {
        "strings" => "a string",
        "whole numbers" => "a whole number",
        "numbers" => "a number",
        _ => plural,
    };

    private static Type? MemberOf(Type type, string name) =>
        DictionaryValueOf(type)
        ?? (ElementOf(type) is null && type.IsClass && type != typeof(string)
            ? NexusJson.Options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == name)?.PropertyType
            : null);

    private static Type? DictionaryValueOf(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
        ? type.GetGenericArguments()[1]
        : null;

    private static Type? ElementOf(Type type)
    {
        if (type == typeof(string) || DictionaryValueOf(type) is not null) return null;
        if (type.IsArray) return type.GetElementType();
        return type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?
            .GetGenericArguments()[0];
    }

    /// <summary>The steps of a System.Text.Json path without its "$.": <c>name</c>, <c>[0]</c>, <c>['odd name']</c>.</summary>
    [GeneratedRegex(@"\['(?<name>.*?)'\]|\[(?<index>\d+)\]|(?:^|\.)(?<name>[^.\[]+)")]
    private static partial Regex Segments();
}
