using Nexus.Shared.Common;

namespace Nexus.Shared.Notes;

/// <summary>One stored note; API v1 and v2 are two views of it.</summary>
public sealed class Note : IModeScoped
{
    public static string Noun => "note";

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
