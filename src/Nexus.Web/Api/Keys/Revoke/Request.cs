namespace Nexus.Web.Api.Keys.Revoke;

/// <summary>Takes no body: the key is named in the path.</summary>
public sealed class Request
{
    /// <summary>The id of the key to revoke.</summary>
    public string Id { get; init; } = "";
}
