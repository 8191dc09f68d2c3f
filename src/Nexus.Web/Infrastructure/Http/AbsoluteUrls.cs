using Microsoft.AspNetCore.Http.Extensions;

namespace Nexus.Web.Infrastructure.Http;

public static class AbsoluteUrls
{
    /// <summary>
    /// <paramref name="path"/> on this app, for links in error objects, headers and invitation links:
    /// under the configured <see cref="PublicUrl"/> when there is one; otherwise as the client reached
    /// the app (scheme and host after the trusted proxy's forwarded headers, and the path base when
    /// hosted under one), and relative when the Host header is not a host name
    /// (<see cref="HostHeaderGuard"/> refuses those requests, and this still answers for its refusal).
    /// </summary>
    public static string AbsoluteUrl(this HttpRequest request, string path) =>
        request.HttpContext.RequestServices?.GetService<PublicUrl>() is { } configured ? configured.Link(path)
        : HostHeaderGuard.HostOf(request) is { } host ? UriHelper.BuildAbsolute(request.Scheme, host, request.PathBase, path)
        : request.PathBase + path;
}
