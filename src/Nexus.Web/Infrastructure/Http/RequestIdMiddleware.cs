using Nexus.Shared.Common;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>Gives every request an id (<c>req_…</c>) and returns it as <c>X-Request-Id</c>.</summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext ctx)
    {
        // Incoming ids are not trusted: the id must be unique for the logs it keys.
        ctx.TraceIdentifier = Ids.New("req");
        ctx.Response.Headers[Header] = ctx.TraceIdentifier;
        return next(ctx);
    }
}
