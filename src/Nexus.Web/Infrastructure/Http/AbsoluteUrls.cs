using Microsoft.AspNetCore.Http.Extensions;

namespace Nexus.Web.Infrastructure.Http;

public static class AbsoluteUrls
{
    /// <summary>
    /// <paramref name="path"/> on this app as the client reached it (scheme and host after the
    /// trusted proxy's forwarded headers, and the path base when hosted under one): for links in
    /// error objects, headers and invitation links. Relative when the Host header is not a host name
    /// (<see cref="HostHeaderGuard"/> refuses those requests, and this still answers for its refusal).
    /// </summary>
    public static string AbsoluteUrl(this HttpRequest request, string path) =>
        HostHeaderGuard.HostOf(request) is { } host ? UriHelper.BuildAbsolute(request.Scheme, host, request.PathBase, path) : request.PathBase + path;
}
