using System.Text.RegularExpressions;

namespace Nexus.Web.Api.Notes.V2;

internal static partial class Tags
{
    public static bool IsValid(string? tag) => tag is not null && Pattern().IsMatch(tag);

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex Pattern();
}
