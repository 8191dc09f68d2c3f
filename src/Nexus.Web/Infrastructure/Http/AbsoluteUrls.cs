using Microsoft.AspNetCore.Http.Extensions;

namespace Nexus.Web.Infrastructure.Http;

public static class AbsoluteUrls
{
    /// <summary>
    /// <paramref name="path"/> on this app as the client reached it (scheme and host after the
    /// trusted proxy's forwarded headers, and the path base when hosted under one): for links in
    /// error objects, headers and invitation links.
    /// </summary>
    public static string AbsoluteUrl(this HttpRequest request, string path) =>
        UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path);
}
