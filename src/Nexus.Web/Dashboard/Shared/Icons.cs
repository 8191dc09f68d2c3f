using Microsoft.AspNetCore.Html;

namespace Nexus.Web.Dashboard.Shared;

/// <summary>
/// Inline SVG icons (24×24, stroked with currentColor). Inline SVG keeps the strict CSP: no icon
/// font, no extra request, and presentation attributes are not style attributes.
/// </summary>
public static class Icons
{
    private static readonly Dictionary<string, string> Paths = new()
    {
        ["key"] = """<circle cx="7.5" cy="15.5" r="4.5"/><path d="m10.7 12.3 9.3-9.3m-3 3 2.5 2.5M14 9l2 2"/>""",
        ["webhook"] = """<path d="M13 2 3 14h9l-1 8 10-12h-9l1-8z"/>""",
        ["logs"] = """<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/>""",
        ["usage"] = """<path d="M3 3v18h18"/><path d="M18 17V9M13 17V5M8 17v-3"/>""",
        ["docs"] = """<path d="M2 4h6a4 4 0 0 1 4 4v13a3 3 0 0 0-3-3H2zM22 4h-6a4 4 0 0 0-4 4v13a3 3 0 0 1 3-3h7z"/>""",
        ["settings"] = """<path d="M20 7h-9M14 17H5"/><circle cx="17" cy="17" r="3"/><circle cx="7" cy="7" r="3"/>""",
        ["logout"] = """<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>""",
        ["menu"] = """<path d="M4 7h16M4 12h16M4 17h16"/>""",
        ["close"] = """<path d="M18 6 6 18M6 6l12 12"/>""",
        ["copy"] = """<rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>""",
        ["check"] = """<path d="M20 6 9 17l-5-5"/>""",
        ["warning"] = """<path d="m21.7 18-8-14a2 2 0 0 0-3.4 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.7-3z"/><path d="M12 9v4M12 17h.01"/>""",
        ["plus"] = """<path d="M12 5v14M5 12h14"/>""",
        ["external"] = """<path d="M15 3h6v6M10 14 21 3M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6"/>""",
        ["users"] = """<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8"/>""",
        ["server"] = """<rect x="2" y="3" width="20" height="8" rx="2"/><rect x="2" y="13" width="20" height="8" rx="2"/><path d="M6 7h.01M6 17h.01"/>""",
        ["building"] = """<rect x="4" y="2" width="16" height="20" rx="2"/><path d="M9 22v-4h6v4M8 6h.01M16 6h.01M12 6h.01M12 10h.01M12 14h.01M16 10h.01M16 14h.01M8 10h.01M8 14h.01"/>""",
        ["arrow-left"] = """<path d="m12 19-7-7 7-7M19 12H5"/>""",
        ["arrow-right"] = """<path d="M5 12h14M12 5l7 7-7 7"/>""",
        ["clock"] = """<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>""",
        ["refresh"] = """<path d="M21 12a9 9 0 0 1-15.5 6.2L3 16M3 12a9 9 0 0 1 15.5-6.2L21 8M21 3v5h-5M3 21v-5h5"/>""",
        ["audit"] = """<path d="M9 4H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2"/><rect x="9" y="2" width="6" height="4" rx="1"/><path d="M9 12h6M9 16h4"/>""",
        ["chevron"] = """<path d="m9 6 6 6-6 6"/>""",
        ["book"] = """<path d="M4 19.5v-15A2.5 2.5 0 0 1 6.5 2H20v20H6.5a2.5 2.5 0 0 1 0-5H20"/>""",
    };

    /// <summary>The icon as an inline SVG; <paramref name="css"/> sizes and colours it.</summary>
    public static IHtmlContent Get(string name, string css = "size-4") => new HtmlString(
        $"""<svg class="{css}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{Paths[name]}</svg>""");
}
