namespace Nexus.Web.Tests.Support;

public static class RateLimitHeaders
{
    /// <summary>The X-RateLimit-* headers of an answer, "(none)" where one is missing.</summary>
    public static (string Limit, string Remaining, string Reset) Of(HttpResponseMessage r) =>
        (One(r, "X-RateLimit-Limit"), One(r, "X-RateLimit-Remaining"), One(r, "X-RateLimit-Reset"));

    private static string One(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "(none)";
}
