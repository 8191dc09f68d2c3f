namespace Nexus.Web.Api.Notes.V1.Delete;

/// <summary>Confirms a deletion.</summary>
public sealed class Response
{
    /// <summary>The deleted note's id.</summary>
    public required string Id { get; init; }

    /// <summary>Always true.</summary>
    public bool Deleted { get; init; } = true;
}
