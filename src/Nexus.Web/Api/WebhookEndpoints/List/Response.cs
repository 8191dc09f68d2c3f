namespace Nexus.Web.Api.WebhookEndpoints.List;

/// <summary>A page of webhook endpoints, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The endpoints on this page.</summary>
    public required IReadOnlyList<EndpointObject> Data { get; init; }

    /// <summary>Whether more endpoints follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
