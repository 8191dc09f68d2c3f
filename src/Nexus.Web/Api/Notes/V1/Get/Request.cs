namespace Nexus.Web.Api.Notes.V1.Get;

public sealed class Request
{
    /// <summary>The note's id.</summary>
    public string Id { get; init; } = "";
}
