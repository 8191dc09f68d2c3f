namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Where people reach this Nexus (<see cref="Setting"/>, e.g. <c>https://nexus.example.com</c> or
/// <c>https://example.com/nexus</c>): the start of every absolute link the app builds (errors'
/// <c>doc_url</c> and <c>request_log_url</c>, deprecation <c>Link</c> headers, invitation links) and
/// of those the operator commands print. Unset, the web app builds links from the request as the
/// client sent it (scheme after the trusted proxy, Host header, path base), which a client chooses;
/// set, no request can change a link.
/// </summary>
public sealed class PublicUrl
{
    public const string Setting = "Nexus:PublicUrl";

    private PublicUrl(string origin) => Origin = origin;

    /// <summary>The configured URL without a trailing slash; a link is this followed by its path.</summary>
    public string Origin { get; }

    /// <summary>
    /// The URL <paramref name="config"/> sets, or null when it sets none. Anything but an absolute
    /// http or https URL without user, query or fragment is refused at start-up, naming the setting,
    /// so no link is built from a value nobody meant.
    /// </summary>
    public static PublicUrl? From(IConfiguration config)
    {
        var text = config[Setting];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https")
            || url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0
            || text.Any(c => c <= ' ' || c >= '\u007f'))
            throw new InvalidOperationException(
                $"{Setting} must be an absolute http or https URL without user, query or fragment (where people reach this Nexus, e.g. https://nexus.example.com), or unset; it is \"{text}\".");
        return new PublicUrl(url.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    public string Link(string path) => Origin + path;
}
