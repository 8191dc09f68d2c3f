namespace Nexus.Web.Api.AuditLog.Get;

public sealed class Request
{
    /// <summary>The entry's id.</summary>
    public string Id { get; init; } = "";
}
