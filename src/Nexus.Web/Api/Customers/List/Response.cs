namespace Nexus.Web.Api.Customers.List;

/// <summary>A page of customers, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The customers on this page.</summary>
    public required IReadOnlyList<CustomerObject> Data { get; init; }

    /// <summary>Whether more customers follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
