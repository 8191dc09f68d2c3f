namespace Nexus.Web.Api.Keys.List;

/// <summary>A page of API keys, newest first.</summary>
public sealed class Response
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>The keys on this page.</summary>
    public required IReadOnlyList<KeyObject> Data { get; init; }

    /// <summary>Whether more keys follow this page.</summary>
    public required bool HasMore { get; init; }

    /// <summary>Pass as <c>starting_after</c> to get the next page; null on the last page.</summary>
    public required string? NextCursor { get; init; }
}
