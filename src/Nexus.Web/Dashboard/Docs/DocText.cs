using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Nexus.Web.Dashboard.Docs;

/// <summary>Catalog texts mark code with backticks (as in Markdown); this is the only markup they use.</summary>
public static class DocText
{
    public static IHtmlContent Render(string text)
    {
        var html = new StringBuilder();
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            var encoded = HtmlEncoder.Default.Encode(parts[i]);
            html.Append(i % 2 == 1 ? $"<code class=\"prose-code\">{encoded}</code>" : encoded);
        }
        return new HtmlString(html.ToString());
    }
}
