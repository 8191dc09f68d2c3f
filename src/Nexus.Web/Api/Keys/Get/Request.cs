namespace Nexus.Web.Api.Keys.Get;

public sealed class Request
{
    /// <summary>The key's id.</summary>
    public string Id { get; init; } = "";
}
