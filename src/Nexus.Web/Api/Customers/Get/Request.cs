using FastEndpoints;

namespace Nexus.Web.Api.Customers.Get;

public sealed class Request
{
    /// <summary>The customer's id (from the path).</summary>
    [RouteParam]
    public string Id { get; init; } = "";
}
