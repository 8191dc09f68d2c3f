using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Refuses a request whose Host header is not a host name ASP.NET Core can read: an international name
/// that is not valid punycode (<c>xn--</c>, <c>a.xn--zz</c>) makes <see cref="HttpRequest.Host"/> throw,
/// so every link built from it failed with a 500 and an empty body. RFC 9110 says 400.
/// </summary>
public sealed class HostHeaderGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (HostOf(ctx.Request) is not null) return next(ctx);
        if (ctx.Request.IsApi()) throw new ApiException(ErrorCatalog.ParameterInvalid, "The Host header is not a valid host name.", "Host");
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Task.CompletedTask;
    }

    /// <summary>The request's host, or null when its Host header cannot be read as one.</summary>
    public static HostString? HostOf(HttpRequest request)
    {
        try
        {
            return request.Host;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
