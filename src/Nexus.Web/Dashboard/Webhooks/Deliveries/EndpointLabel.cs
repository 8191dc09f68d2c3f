namespace Nexus.Web.Dashboard.Webhooks.Deliveries;

/// <summary>
/// An endpoint's URL in a narrow column: what tells endpoints apart is usually the host and the end
/// of the path (<c>…/hooks/fail</c> beside <c>…/hooks/ok</c>), so the scheme goes and a long URL
/// loses its middle, never its end. The full URL goes in the cell's title.
/// </summary>
public static class EndpointLabel
{
    /// <summary>Characters that fit the deliveries table's endpoint column (12 px monospace in 12 rem less its padding).</summary>
    public const int MaxLength = 23;

    public static string Short(string url, int max = MaxLength)
    {
        var (host, path) = Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? (uri.Authority, uri.PathAndQuery == "/" ? "" : uri.PathAndQuery)
            : ("", url);
        if (host.Length + path.Length <= max) return host + path;
        // The end of the path first, at least half the room; the host gets the rest, and one ellipsis stands for both cuts.
        var tail = Math.Min(path.Length, Math.Max(max - 1 - host.Length, max / 2));
        var head = Math.Min(host.Length, max - 1 - tail);
        return host[..head] + "…" + path[^tail..];
    }
}
