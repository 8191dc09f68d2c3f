using Htmx.TagHelpers;

namespace Nexus.Web.Dashboard.Shared;

/// <summary>Settings for the <c>htmx-config</c> meta tag in every layout.</summary>
public static class HtmxConfig
{
    /// <summary>
    /// htmx 2 does not swap 4xx responses by default. A form that fails validation answers 422
    /// with itself re-rendered (messages next to the fields), so 422 is swapped like a 200;
    /// other errors are left to app.js, which shows a toast.
    /// </summary>
    public static readonly HtmxResponseHandling[] ResponseHandling =
    [
        new() { Code = "204", Swap = false },
        new() { Code = "[23]..", Swap = true },
        new() { Code = "422", Swap = true },
        new() { Code = "[45]..", Swap = false, Error = true },
    ];
}
