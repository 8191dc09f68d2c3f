using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// The <c>&lt;summary&gt;</c> of a property, from the XML documentation file the build writes beside the
/// assembly, as Markdown. ASP.NET Core's OpenAPI generator reads these comments for body fields itself,
/// but the query parameters come from <see cref="EndpointDocsTransformer"/>, which it does not see into.
/// </summary>
internal static partial class XmlDocs
{
    private static readonly Lazy<Dictionary<string, string>> Summaries = new(Load);

    public static string? Summary(PropertyInfo property) =>
        Summaries.Value.GetValueOrDefault($"P:{property.DeclaringType?.FullName?.Replace('+', '.')}.{property.Name}");

    private static Dictionary<string, string> Load()
    {
        var file = Path.ChangeExtension(typeof(XmlDocs).Assembly.Location, ".xml");
        if (!File.Exists(file)) return [];
        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Attribute("name")?.Value.StartsWith("P:", StringComparison.Ordinal) == true && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Markdown(m.Element("summary")!));
    }

    /// <summary><c>&lt;c&gt;x&lt;/c&gt;</c> becomes <c>`x`</c>, a <c>&lt;see cref&gt;</c> its last name, and the lines one paragraph.</summary>
    private static string Markdown(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
            XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("langword")?.Value is { } word ? $"`{word}`"
                : (see.Attribute("cref")?.Value ?? "").Split('.', ':')[^1],
            XElement { Name.LocalName: "paramref" or "typeparamref" } p => $"`{p.Attribute("name")?.Value}`",
            XElement e => e.Value,
            _ => node.ToString(),
        }));
        return Spaces().Replace(System.Net.WebUtility.HtmlDecode(text), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
