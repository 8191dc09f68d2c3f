using System.Reflection;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// The values a query parameter takes, named by the static list its validator checks against (so
/// the two cannot drift), for the parameter's <c>enum</c> in the OpenAPI documents: a client
/// generator can then type the filter instead of taking any string.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QueryValuesAttribute(Type type, string member) : Attribute
{
    public IReadOnlyList<string> Values { get; } =
        (type.GetField(member, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null)
            ?? type.GetProperty(member, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null)) is IEnumerable<string> values
            ? [.. values]
            : throw new InvalidOperationException($"{type.Name}.{member} is not a static list of strings.");
}
