namespace Nexus.Web.Api.Events.Get;

public sealed class Request
{
    /// <summary>The event's id.</summary>
    public string Id { get; init; } = "";
}
